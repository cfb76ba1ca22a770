from django.http import HttpResponse


def placeholder(request):  # replaced by the real views
    return HttpResponse("")
