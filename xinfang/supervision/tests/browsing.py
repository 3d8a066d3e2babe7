"""Browser tests reach the supervision screens as a user does: through the navigation's
督查督办 menu (supervisors, leaders, heads) or 通报与积案 menu (other staff)."""


def via_menu(page, name):
    """Open the user's supervision menu and follow its link named `name`."""
    menu = page.locator('[data-testid="nav-supervision"], [data-testid="nav-follow-through"]').first
    menu.locator("a.dropdown-toggle").click()
    menu.get_by_role("link", name=name).first.click()
