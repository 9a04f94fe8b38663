"""The ceiling for bench_stack.py: bare Django 5.2 as ``startproject`` makes it (default
middleware), answering "hello" from one view. It never touches its database."""

import os

from django.http import HttpResponse
from django.urls import path

SECRET_KEY = os.environ.get("HELLO_SECRET_KEY", "bench-hello-only-never-deployed")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [  # django-admin startproject's list, minus nothing
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True


def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("", hello)]
