"""Mounted only when BUSAN_BENCH=1 (see busan_tracker/urls.py): production never has it."""

from django.urls import path

from . import views

urlpatterns = [path("baseline", views.baseline, name="bench_baseline")]
