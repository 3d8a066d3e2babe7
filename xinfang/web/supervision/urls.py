from . import items

app_name = "supervision"

# Each screen module adds its own patterns here.
urlpatterns = [
    *items.urlpatterns,  # the desk, the unit's side (督办待办), an obligation's page, opening an item on a case
]
