from django.http import HttpResponse


def token_list(request):  # replaced by the API helper
    return HttpResponse("")


def token_revoke(request, public_id):  # replaced by the API helper
    return HttpResponse("")
