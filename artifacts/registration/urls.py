"""The authors' pages (namespace ``artifacts``, under /c/<slug>/artifacts/)."""

from django.urls import path

from artifacts.registration import views

urlpatterns = [
    path("<int:number>/registration/", views.RegistrationView.as_view(), name="register"),
    path("<int:number>/appendix/", views.AppendixView.as_view(), name="appendix"),
    path("<int:number>/submit/", views.SubmitView.as_view(), name="submit"),
    path("<int:number>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<int:number>/return/", views.ReturnView.as_view(), name="return"),
    path("<int:number>/smoke-checks/", views.SmokeCheckView.as_view(), name="smoke_check"),
    path("<int:number>/access/", views.RevealSecretView.as_view(), name="reveal_secret"),
]
