from django.urls import path

from judge.ccs import pages

app_name = "contests_api"

urlpatterns = [
    path("<slug:slug>/api-tokens/", pages.api_tokens, name="api_tokens"),
    path("<slug:slug>/api-tokens/<int:token_id>/revoke/", pages.api_token_revoke, name="api_token_revoke"),
]
