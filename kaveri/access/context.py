from kaveri.access.principal import principal_for


def principal(request):
    return {"principal": principal_for(request)}
