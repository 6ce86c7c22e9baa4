from django.urls import path  # noqa: F401 - each part of the editors' area adds its paths

from . import review

app_name = "editors"

urlpatterns = [
    path("review/", review.review_queue, name="review-queue"),
    path("review/<int:pk>/", review.review, name="review"),
]
