"""What intake tells the other apps, so that they need not be imported here."""

from django.dispatch import Signal

# Sent inside the registration's transaction, after the petition, its people and the
# timeline event are written: sender=Petition, petition, case, names (the petitioners'
# names as given), opened (True for a new case, False for a repeat). A receiver that
# writes must do so in a savepoint and must never let its own failure undo the
# registration: a petition received is recorded whatever else goes wrong.
petition_recorded = Signal()
