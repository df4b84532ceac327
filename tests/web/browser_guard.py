"""Browser traps for hostile-content tests: every dialog (alert/confirm/prompt), console error,
uncaught page error, Content-Security-Policy violation and request for the injected image
`x` is recorded, so a test can assert that a page ran none of the injected script."""

from dataclasses import dataclass, field
from typing import Any

HOSTILE = "<img src=x onerror=alert(1)>"


def hostile(label: str) -> str:
    """A value that runs script if pasted into HTML unescaped, breaks out of quoted attributes
    and contains an ECharts format placeholder ({b}); `label` tells the fields apart."""
    return f"{HOSTILE}\"'<script>alert(2)</script>{{b}} {label}"


# Registered before any page script: CSP reports arrive as DOM events, not only console lines.
_INIT = """
window.__wwViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__wwViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""

# The tooltip of the chart in `selector` after an ECharts showTip, as HTML and as text.
SHOW_TIP = """async ([selector, seriesIndex, dataIndex]) => {
  const el = document.querySelector(selector);
  const chart = echarts.getInstanceByDom(el);
  chart.dispatchAction({type: "showTip", seriesIndex: seriesIndex, dataIndex: dataIndex});
  for (let i = 0; i < 50; i++) {
    const tip = Array.from(el.querySelectorAll("div")).find(
      (d) => d.style.zIndex === "9999999" && d.style.display !== "none" && d.innerHTML);
    if (tip) {
      return {html: tip.innerHTML, text: tip.textContent,
              elements: Array.from(tip.querySelectorAll("*")).map((e) => e.tagName.toLowerCase())};
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}"""


@dataclass
class Guard:
    page: Any
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    injected_requests: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        return list(self.page.evaluate("() => window.__wwViolations || []"))

    def assert_clean(self, where: str) -> None:
        """Nothing injected ran or was blocked on the page shown now."""
        problems = {
            "dialogs": self.dialogs,
            "console/page errors": self.errors,
            "CSP violations": self.violations(),
            "requests for the injected image": self.injected_requests,
        }
        assert not any(problems.values()), f"{where}: {problems}"

    def tooltip(self, selector: str, series_index: int, data_index: int) -> dict[str, Any]:
        tip = self.page.evaluate(SHOW_TIP, [selector, series_index, data_index])
        assert tip is not None, f"no tooltip shown for {selector}"
        return dict(tip)


def guard(page: Any) -> Guard:
    """Install the traps on `page` (call before the first navigation)."""
    traps = Guard(page)
    page.add_init_script(_INIT)

    def on_dialog(dialog: Any) -> None:
        traps.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(message: Any) -> None:
        # Pages without a <link rel=icon> (Django's admin) make the browser ask /favicon.ico.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            traps.errors.append(message.text)

    def on_request(request: Any) -> None:
        if request.url.rstrip("/").endswith("/x"):
            traps.injected_requests.append(request.url)

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("pageerror", lambda error: traps.errors.append(str(error)))
    page.on("request", on_request)
    return traps


def assert_escaped(tip: dict[str, Any], value: str) -> None:
    """The tooltip shows `value` as typed text, and none of it became markup."""
    assert value in tip["text"], tip
    assert "&lt;img src=x onerror=alert(1)&gt;" in tip["html"], tip
    assert "img" not in tip["elements"] and "script" not in tip["elements"], tip
