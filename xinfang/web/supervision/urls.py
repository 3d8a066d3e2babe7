from . import reviews

app_name = "supervision"

# Each screen module adds its own patterns here.
urlpatterns = [
    *reviews.urlpatterns,
]
