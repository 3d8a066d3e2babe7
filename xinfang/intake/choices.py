COLLECTIVE_HEADCOUNT = 5  # five or more people with one matter make a collective visit
MAX_REPRESENTATIVES = 5  # Art. 20
