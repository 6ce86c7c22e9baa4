from django.urls import path

from . import review, submission

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
]
