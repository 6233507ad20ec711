"""The findings about the link itself (no content read): whether it opens (and if not, why, in words an agency
can act on), its HTTPS certificate, whether it is on the agency's main domain, whether it is the home page.
Pure functions over a :class:`~.fetch.FetchResult`; no Django."""

from __future__ import annotations

from .fetch import redact_url
from .finding import NOT_CHECKED_EN, NOT_CHECKED_TH, Finding, _fail, _ok
from .sites import (
    _CATEGORY_EN,
    _CATEGORY_TH,
    _host_of,
    _site_label,
    is_home_page,
    known_site,
    on_domain,
    registered_domain,
)

__all__ = ["fetch_findings", "domain_finding", "home_finding", "tls_finding"]


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} B"


_BAD_URL_TH = {
    "scheme": "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https://",
    "userinfo": "ลิงก์มีชื่อผู้ใช้หรือรหัสผ่านอยู่ในตัว ระบบไม่เปิดลิงก์แบบนี้ และไม่ควรเผยแพร่",
    "no_host": "ลิงก์ไม่มีชื่อเว็บไซต์",
    "malformed": "รูปแบบลิงก์ไม่ถูกต้อง",
}
_ADDRESS_TH = {"loopback": "เครื่องของระบบเอง", "private": "เครือข่ายภายใน", "link_local": "เครือข่ายภายใน (link-local)",
               "multicast": "multicast", "reserved": "ที่อยู่สงวน", "unspecified": "ที่อยู่ว่าง",
               "not_global": "ที่อยู่ที่ไม่ใช่อินเทอร์เน็ตสาธารณะ"}


def _fetch_findings(result, config_timeout: float | None) -> list[Finding]:
    error = result.error
    host = _host_of(result.final_url or result.url)
    if error is None or error == "too_large":
        bits_th = [f"HTTP {result.status}"]
        bits_en = [f"HTTP {result.status}"]
        if result.mime_type:
            bits_th.append(result.mime_type)
            bits_en.append(result.mime_type)
        bits_th.append(_size(result.size))
        bits_en.append(_size(result.size))
        th = f"เปิดลิงก์ได้ ({', '.join(bits_th)}, {result.elapsed:.1f} วินาที)"
        en = f"The link opens ({', '.join(bits_en)}, {result.elapsed:.1f} s)"
        if result.redirects:
            th += f" หลังเปลี่ยนทาง {len(result.redirects)} ครั้ง ไปที่ {result.final_url}"
            en += f" after {len(result.redirects)} redirect(s), at {result.final_url}"
        out = [_ok("reachable", th, en, status=result.status, final_url=result.final_url,
                   redirects=len(result.redirects), content_type=result.content_type, size=result.size)]
        if error == "too_large":
            out.append(_fail(
                "too_large", "warning",
                f"ไฟล์ใหญ่เกินกว่าที่ระบบอ่าน ({_size(result.size)}) ระบบตรวจเฉพาะส่วนแรกของไฟล์ "
                "ไฟล์ขนาดใหญ่เปิดช้าและผู้ประเมินอาจเปิดไม่สำเร็จ ควรลดขนาดไฟล์หรือแยกเป็นหลายไฟล์",
                f"The file is larger than the checker reads ({_size(result.size)}); only its first part was "
                "checked. Large files open slowly and an assessor may give up: make it smaller or split it.",
                bytes_read=result.size, content_length=result.content_length))
        return out
    if error == "not_checked":
        return [_fail(
            "not_checked", "info",
            f"{NOT_CHECKED_TH} ระบบเปิดเว็บไซต์ใดไม่ได้เลยในขณะนี้ (รวมทั้งเว็บไซต์อ้างอิง) จึงเป็นปัญหาการเชื่อมต่อของ"
            "ระบบตรวจเอง ไม่ใช่ของหน่วยงาน ระบบจะตรวจใหม่ในรอบถัดไป",
            f"{NOT_CHECKED_EN}: the checker could not reach any website at this time (its reference sites "
            "included), so the failure is the checker's own connection, not the agency's. It will check again.",
            reason=result.error_reason, detail=result.error_detail)]
    if error == "bad_url":
        reason = result.error_reason if result.error_reason in _BAD_URL_TH else "malformed"
        redirected = bool(result.redirects)
        th = _BAD_URL_TH[reason]
        if redirected:
            th = f"ลิงก์เปลี่ยนทางไปยัง {result.final_url} ซึ่งระบบไม่เปิด: {th}"
        return [_fail("bad_url", "error", f"{th} ผู้ประเมินจะเปิดข้อมูลจากลิงก์นี้ไม่ได้",
                      f"Not a link the checker opens: {result.error_detail}", reason=reason,
                      url=redact_url(result.final_url or result.url))]
    if error == "refused_address":
        problem = result.error_reason if result.error_reason in _ADDRESS_TH else "private"
        where = host if host == result.address or not result.address else f"{host} → {result.address}"
        return [_fail(
            "refused_address", "error",
            f"ลิงก์นี้ชี้ไปยัง{_ADDRESS_TH[problem]} ({where}) ซึ่งบุคคลภายนอกรวมทั้งผู้ประเมินเปิดไม่ได้ "
            "ระบบจึงไม่เปิดลิงก์นี้ ให้ใช้ลิงก์ของเว็บไซต์หลักที่เปิดได้จากอินเทอร์เน็ต",
            f"The link points to a non-public address ({where}, {problem}) that outsiders, assessors "
            "included, cannot open; the checker does not connect to such addresses.",
            host=host, address=result.address, problem=problem)]
    if error == "timeout":
        secs = f"{config_timeout:g} " if config_timeout else ""
        return [_fail(
            "timeout", "error",
            f"เว็บไซต์ {host} ไม่ตอบภายใน {secs}วินาที ผู้ประเมินอาจเปิดไม่ได้เช่นกัน "
            "หากเว็บไซต์ล่มหรือช้าในช่วงที่ผู้ประเมินตรวจ ข้อนี้อาจได้ 0 คะแนน ให้แจ้งผู้ดูแลเว็บไซต์ตรวจสอบ",
            f"{host} did not answer within {secs}seconds. If the site is down or this slow while the assessors "
            "check, the item may score 0.", host=host)]
    if error == "too_many_redirects":
        return [_fail(
            "too_many_redirects", "error",
            f"ลิงก์เปลี่ยนทางต่อกันหลายครั้งเกินไป ({len(result.redirects)} ครั้ง อาจวนซ้ำไม่สิ้นสุด) "
            "เบราว์เซอร์ของผู้ประเมินอาจแสดงข้อผิดพลาดแทนข้อมูล",
            f"The link redirects too many times ({len(result.redirects)}, possibly in a loop); an assessor's "
            "browser may show an error instead of the data.",
            redirects=[h.url for h in result.redirects])]
    if error == "http_error":
        status = result.status or 0
        if status in (404, 410):
            th = (f"ไม่พบหน้าเว็บ (HTTP {status}) ลิงก์อาจพิมพ์ผิด หรือหน้า/ไฟล์ถูกย้ายหรือลบ "
                  "ผู้ประเมินจะเปิดไม่พบข้อมูลและไม่ให้คะแนนข้อนี้")
            en = (f"Page not found (HTTP {status}): the link is mistyped or the page or file was moved or "
                  "deleted. The assessor will find nothing and score the item 0.")
        elif status in (401, 403, 407):
            th = (f"เว็บไซต์ไม่อนุญาตให้เปิด (HTTP {status}) หน้านี้อาจต้องเข้าสู่ระบบหรือจำกัดสิทธิ์ "
                  "ผู้ประเมินซึ่งเป็นบุคคลภายนอกจะเปิดไม่ได้ (หรือระบบป้องกันของเว็บไซต์ปิดกั้นโปรแกรมตรวจ "
                  "ให้ลองเปิดจากเครื่องที่ไม่ได้เข้าสู่ระบบ)")
            en = (f"Access denied (HTTP {status}): the page may need a login or be restricted, so assessors "
                  "cannot open it (or the site's firewall blocks the checker: try it logged out).")
        elif status >= 500:
            th = (f"เว็บไซต์ขัดข้อง (HTTP {status}) ผู้ประเมินจะเปิดไม่ได้ในขณะนี้ "
                  "ให้แจ้งผู้ดูแลเว็บไซต์แก้ไขและตรวจอีกครั้ง")
            en = f"Server error (HTTP {status}): the page cannot be opened now. Ask the web administrator."
        else:
            th = f"เว็บไซต์ตอบกลับด้วยข้อผิดพลาด (HTTP {status}) ผู้ประเมินจะเปิดข้อมูลไม่ได้"
            en = f"The site answered with an error (HTTP {status}); the data cannot be opened."
        return [_fail("http_error", "error", th, en, status=status, final_url=result.final_url)]
    # unreachable
    detail = result.error_detail or ""
    if result.error_reason == "dns":
        th = (f"ไม่พบชื่อเว็บไซต์ {host} (DNS) ชื่ออาจพิมพ์ผิด หรือโดเมนหมดอายุ/ถูกยกเลิก "
              "ผู้ประเมินจะเปิดลิงก์นี้ไม่ได้")
        en = f"The name {host} does not resolve (DNS): mistyped, or the domain lapsed. Nobody can open it."
    elif result.error_reason == "tls":
        th = (f"เชื่อมต่อแบบปลอดภัย (HTTPS) กับ {host} ไม่สำเร็จ ผู้ประเมินอาจเปิดไม่ได้หรือเห็นคำเตือน "
              "ให้ผู้ดูแลเว็บไซต์ตรวจใบรับรอง SSL")
        en = f"The HTTPS connection to {host} failed; assessors may not get through. Check its certificate."
    else:
        th = (f"ติดต่อเว็บไซต์ {host} ไม่ได้ (เครื่องแม่ข่ายไม่ตอบหรือปฏิเสธการเชื่อมต่อ) "
              "ผู้ประเมินจะเปิดลิงก์นี้ไม่ได้ ให้แจ้งผู้ดูแลเว็บไซต์ตรวจสอบ")
        en = f"Cannot connect to {host} (the server is down or refuses connections); nobody can open the link."
    return [_fail("unreachable", "error", th, en, host=host, reason=result.error_reason, error_detail=detail)]


def _tls_finding(result) -> list[Finding]:
    if not result.tls_error:
        return []
    return [_fail(
        "tls", "warning",
        f"ใบรับรองความปลอดภัย (HTTPS) ของ {_host_of(result.final_url or result.url)} ไม่ถูกต้อง "
        f"({result.tls_error}) เบราว์เซอร์ของผู้ประเมินอาจขึ้นคำเตือนว่าเว็บไซต์ไม่ปลอดภัย "
        "ให้ผู้ดูแลเว็บไซต์ติดตั้งใบรับรองให้ครบ (รวม intermediate certificate)",
        f"The site's HTTPS certificate is not valid ({result.tls_error}); browsers may warn assessors. "
        "The content was still read and checked.", tls_error=result.tls_error)]


def _domain_finding(result, main_domain: str) -> list[Finding]:
    domain = registered_domain(main_domain)
    submitted = _host_of(result.url)
    final = _host_of(result.final_url) if result.final_url else ""
    if not submitted:
        return []
    if not on_domain(submitted, domain):
        label_th, label_en = _site_label(submitted)
        site = known_site(submitted)
        extra_th = extra_en = ""
        if site and site[1] == "shortener":
            extra_th = " ลิงก์ย่อไม่ใช่ที่อยู่ของข้อมูลบนเว็บไซต์หลัก ให้ใช้ลิงก์เต็มของหน้าบนเว็บไซต์หลัก"
            extra_en = " A short link is not the address of the data on the main website: use the full link."
        elif site:
            extra_th = (f" ({_CATEGORY_TH[site[1]]}) ข้อมูล OIT ต้องเผยแพร่บนเว็บไซต์หลักของหน่วยงาน "
                        "ให้นำข้อมูลหรือไฟล์ขึ้นเว็บไซต์หลักแล้วใช้ลิงก์นั้นแทน")
            extra_en = (f" ({_CATEGORY_EN[site[1]]}). OIT data must be published on the agency's main website: "
                        "put it there and link to that page instead.")
        return [_fail(
            "off_domain", "error",
            f"ลิงก์นี้อยู่บน {label_th} ไม่ใช่เว็บไซต์หลักของหน่วยงาน ({domain}) ผู้ประเมินอาจไม่ให้คะแนน{extra_th}",
            f"The link is on {label_en}, not on the agency's main website ({domain}); the assessor may not "
            f"accept it.{extra_en}", host=submitted, main_domain=domain, which="submitted",
            site=site[0] if site else None)]
    if final and not on_domain(final, domain):
        label_th, label_en = _site_label(final)
        return [_fail(
            "off_domain", "error",
            f"ลิงก์นี้อยู่บนเว็บไซต์หลัก ({domain}) แต่เปลี่ยนทางไปยัง {label_th} ซึ่งไม่ใช่เว็บไซต์หลักของหน่วยงาน "
            "ผู้ประเมินอาจไม่ให้คะแนน ให้เก็บข้อมูลไว้บนเว็บไซต์หลักโดยตรง",
            f"The link is on the main website ({domain}) but redirects to {label_en}, which is not; "
            "the assessor may not accept it.", host=final, main_domain=domain, which="final",
            site=(known_site(final) or (None,))[0])]
    return [_ok("off_domain", f"ลิงก์อยู่บนเว็บไซต์หลักของหน่วยงาน ({domain})",
                f"The link is on the agency's main website ({domain})", host=final or submitted, main_domain=domain)]


def _home_finding(result) -> list[Finding]:
    try:
        submitted_home = is_home_page(result.url)
    except ValueError:
        return []
    final_home = bool(result.final_url) and result.final_url != result.url and is_home_page(result.final_url)
    if submitted_home:
        return [_fail(
            "home_page", "error",
            "ลิงก์นี้เป็นหน้าแรกของเว็บไซต์ ไม่ใช่หน้าที่มีข้อมูลของข้อนี้ ผู้ประเมินต้องการลิงก์ที่เปิดแล้วเห็นข้อมูลทันที "
            "ให้ใช้ลิงก์ของหน้าหรือไฟล์ที่มีข้อมูลโดยตรง",
            "The link is the site's home page, not the page with this item's data; assessors expect a link "
            "that shows the data directly.", url=result.url)]
    if final_home:
        return [_fail(
            "home_page", "error",
            f"ลิงก์นี้ถูกเปลี่ยนทางไปหน้าแรกของเว็บไซต์ ({result.final_url}) หน้าที่อ้างถึงอาจถูกย้ายหรือลบแล้ว "
            "ผู้ประเมินจะไม่เห็นข้อมูล ให้ตรวจและใช้ลิงก์ใหม่ที่ถูกต้อง",
            f"The link redirects to the site's home page ({result.final_url}): the page was probably moved "
            "or deleted, and the assessor will not see the data.", url=result.url, final_url=result.final_url)]
    return [_ok("home_page", "ลิงก์ชี้ไปยังหน้าข้อมูล ไม่ใช่หน้าแรกของเว็บไซต์",
                "The link points to a data page, not the home page", url=result.url)]


fetch_findings, tls_finding, domain_finding, home_finding = _fetch_findings, _tls_finding, _domain_finding, _home_finding
