def superuser_only_admin(site):
    """Django admin is for superusers only; every other role works through ITA Desk's own pages."""

    def has_permission(request):
        return request.user.is_active and request.user.is_superuser

    site.has_permission = has_permission
    site.site_header = "ITA Desk"
    site.site_title = "ITA Desk"
