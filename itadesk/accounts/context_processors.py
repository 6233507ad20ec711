from itadesk.accounts.access import scope_for


def roles(request):
    return {"scope": scope_for(request.user)}
