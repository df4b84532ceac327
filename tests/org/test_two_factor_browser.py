"""Two-factor sign-in in real Chromium: enrol from the QR page, then sign in with the code."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:06d}"


def test_manager_enrols_and_then_signs_in_with_the_code(org, login):
    # given: a manager opens the two-factor page from the user menu
    page = login(org.manager)
    page.goto("/org/two-factor/")
    assert page.locator("#two-factor-qr svg").is_visible()
    assert page.locator("#two-factor-secret").inner_text().strip()
    # when: they confirm with the app's code
    device = TOTPDevice.objects.get(user=org.manager, confirmed=False)
    page.fill("#id_code", _code(device))
    page.click("#two-factor-confirm")
    page.wait_for_url(lambda url: "/org/two-factor/" not in url)
    # then: the next sign-in asks for a code after the password
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", org.manager.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/org/two-factor/verify/**")
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the same 30 s window again
    page.fill("#id_otp", _code(device))
    page.click("#otp-submit")
    page.wait_for_url(lambda url: "/two-factor/" not in url and "/login/" not in url)
    assert page.locator("[data-area=accounts]").is_visible()
