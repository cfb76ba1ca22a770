from kindred.directory.views import chooser, listings, referrals, resources, search

app_name = "directory"
urlpatterns = [
    *search.urlpatterns,
    *referrals.urlpatterns,
    *listings.urlpatterns,
    *chooser.urlpatterns,
    *resources.urlpatterns,
]
