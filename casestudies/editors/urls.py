from django.urls import path  # noqa: F401 - each part of the editors' area adds its paths

app_name = "editors"

urlpatterns = []
