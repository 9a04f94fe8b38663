from django.contrib.auth import views as auth_views
from django.urls import path

from ganxun.accounts import views, views_2fa

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("trainee-accounts/", views.trainee_accounts, name="trainee_accounts"),
    path("2fa/", views_2fa.two_factor_setup, name="two_factor_setup"),
    path("2fa/later/", views.two_factor_offer_dismiss, name="two_factor_offer_dismiss"),
    path("2fa/verify/", views_2fa.two_factor_verify, name="two_factor_verify"),
    path("2fa/disable/", views_2fa.two_factor_disable_own, name="two_factor_disable"),
    path("users/<int:pk>/2fa-reset/", views_2fa.two_factor_reset, name="two_factor_reset"),
]
