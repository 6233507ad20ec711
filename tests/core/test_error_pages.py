"""403, 404 and 500 pages: Thai (English when chosen), with the site's navigation, DEBUG off."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.urls("tests.core.error_urls")


def _get(client, url, lang=None):
    if lang:
        client.cookies["django_language"] = lang
    return client.get(url)


@pytest.mark.parametrize(("lang", "text"), [(None, "ไม่พบหน้าที่ต้องการ"), ("en", "Page not found")])
def test_404_in_the_users_language_with_navigation(client, world, lang, text):
    client.force_login(world.admin_a)
    response = _get(client, "/no/such/page/", lang)
    assert response.status_code == 404
    body = response.content.decode()
    assert text in body and 'data-testid="error-404"' in body
    assert 'class="navbar' in body and "/accounts/logout/" in body  # the site's navigation, logged in
    assert "Not Found</h1>" not in body


@pytest.mark.parametrize(("lang", "text"), [(None, "คุณไม่มีสิทธิ์เปิดหน้านี้"), ("en", "You may not open this page")])
def test_403_in_the_users_language_with_navigation(client, world, lang, text):
    client.force_login(world.admin_a)
    response = _get(client, "/forbidden/", lang)
    assert response.status_code == 403
    body = response.content.decode()
    assert text in body and 'data-testid="error-403"' in body and 'class="navbar' in body


def test_a_real_403_of_the_app_uses_the_page(client, world):
    client.force_login(world.admin_a)
    response = client.get("/national/")  # superusers only
    assert response.status_code == 403
    assert 'data-testid="error-403"' in response.content.decode()


@pytest.mark.parametrize(("lang", "text"), [(None, "ระบบขัดข้อง"), ("en", "Something went wrong")])
@override_settings(DEBUG=False)
def test_500_renders_without_the_database_or_a_user(lang, text):
    """No ``db`` fixture: any query made while rendering the 500 page would fail the page."""
    client = Client(raise_request_exception=False)
    response = _get(client, "/boom/", lang)
    assert response.status_code == 500
    body = response.content.decode()
    assert text in body and 'data-testid="error-500"' in body  # the template, not the plain fallback
    assert 'class="navbar' in body and "ITA Desk</a>" in body
    assert "on fire" not in body  # nothing of the exception is shown
