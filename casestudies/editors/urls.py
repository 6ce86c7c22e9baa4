from django.urls import path

from . import accounts, email_choices, people, review, submission

app_name = "editors"

urlpatterns = [
    # The guided submission (submission.py).
    path("", submission.dashboard, name="dashboard"),
    path("case-studies/new/", submission.start, name="start"),
    path("case-studies/<int:pk>/", submission.task_list, name="case-study"),
    path("case-studies/<int:pk>/check/", submission.check, name="check"),
    path("case-studies/<int:pk>/sent/", submission.submitted, name="submitted"),
    path("case-studies/<int:pk>/propose-update/", submission.propose_update, name="propose-update"),
    path(
        "case-studies/<int:pk>/lists/<slug:list_name>/add/", submission.item_page, name="item-add"
    ),
    path(
        "case-studies/<int:pk>/lists/<slug:list_name>/<int:item_pk>/",
        submission.item_page,
        name="item",
    ),
    path(
        "case-studies/<int:pk>/lists/<slug:list_name>/<int:item_pk>/move/",
        submission.item_move,
        name="item-move",
    ),
    path(
        "case-studies/<int:pk>/lists/<slug:list_name>/<int:item_pk>/remove/",
        submission.item_remove,
        name="item-remove",
    ),
    path("case-studies/<int:pk>/<slug:section>/", submission.section_page, name="section"),
    # Review for regional leads (review.py).
    path("review/", review.review_queue, name="review-queue"),
    path("review/<int:pk>/", review.review, name="review"),
    # Signing in and out, password reset, and e-mail choices (accounts.py, email_choices.py).
    path("sign-in/", accounts.SignInView.as_view(), name="sign-in"),
    path("sign-out/", accounts.SignOutView.as_view(), name="sign-out"),
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        accounts.PasswordResetSentView.as_view(),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("notifications/", email_choices.email_choices, name="notifications"),
    # People and access, for regional leads and site administrators (people.py).
    path("people/", people.people, name="people"),
    path("people/invite/", people.invite, name="invite"),
    path("people/<int:pk>/remove/", people.person_remove, name="person-remove"),
    path("people/<int:pk>/give-access/", people.person_give_access, name="person-give-access"),
    path(
        "people/invitations/<int:pk>/send-again/",
        people.invitation_send_again,
        name="invitation-send-again",
    ),
    path("people/invitations/<int:pk>/cancel/", people.invitation_cancel, name="invitation-cancel"),
    path("invitation/<str:token>/", people.invitation, name="invitation"),
]
