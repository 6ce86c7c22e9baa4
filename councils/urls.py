from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("councils/", views.council_list, name="list"),
    path("councils/<slug:slug>/", views.council_detail, name="detail"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
]
