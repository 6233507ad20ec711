"""Real HTTP servers on 127.0.0.1 (random free ports) serving the evidence the checker must judge:
Thai pages in UTF-8 and in TIS-620 without a charset, redirects, errors, slow and huge responses,
empty and placeholder pages, PDFs with and without a text layer, images, Office files.

Each server runs aiohttp.web on its own event loop in a thread, so the code under test talks to it
over real sockets. ``EvidenceServer.requests`` logs what arrived (path, headers, time, peer).
Fixtures: ``evidence_server`` (module scope) and ``evidence_server_2`` (a second one on 127.0.0.2,
for redirects to a loopback address that is not allow-listed). Import them into a test module:
``from tests.evidence.servers import evidence_server  # noqa: F401``.

PDFs are written by hand (no PDF library needed): a Type0 font whose character codes are the Unicode
code points, with a ToUnicode map, so that pdftotext gives back the Thai text; the font is not embedded
(pdftotext only needs the map).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field

import pytest
from aiohttp import web

# --- documents -------------------------------------------------------------------------------------

_TOUNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end"""


def _pdf(objects: list[bytes | None], catalog: int) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + (body or b"null") + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def make_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one text line per string (Thai or not), one list of lines per page."""
    objects: list[bytes | None] = [None, None]  # 1 catalog, 2 pages
    objects.append(_stream(_TOUNICODE))  # 3
    objects.append(b"<< /Type /FontDescriptor /FontName /Loma /Flags 32 /FontBBox [0 -250 1000 900] "
                   b"/ItalicAngle 0 /Ascent 900 /Descent -250 /CapHeight 700 /StemV 80 >>")  # 4
    objects.append(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Loma /CIDSystemInfo << /Registry (Adobe) "
                   b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 4 0 R /DW 600 /CIDToGIDMap /Identity >>")
    objects.append(b"<< /Type /Font /Subtype /Type0 /BaseFont /Loma /Encoding /Identity-H "
                   b"/DescendantFonts [5 0 R] /ToUnicode 3 0 R >>")  # 6
    kids = []
    for lines in pages:
        ops = [b"BT /F1 14 Tf 50 780 Td 18 TL"]
        ops += [b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*" for line in lines]
        ops.append(b"ET")
        objects.append(_stream(b"\n".join(ops)))
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 6 0 R >> "
                       b">> /Contents %d 0 R >>" % content)
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    return _pdf(objects, 1)


def make_scan_pdf(pages: int = 2) -> bytes:
    """A PDF whose pages are only an image (what a scanner makes): no text layer."""
    width = height = 64
    pixels = bytes((x * 4 + y) % 256 for y in range(height) for x in range(width))
    objects: list[bytes | None] = [None, None]
    objects.append(_stream(zlib.compress(pixels), b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                           b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode " % (width, height)))
    kids = []
    for _ in range(pages):
        objects.append(_stream(b"q 500 0 0 700 50 70 cm /Im1 Do Q"))
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 3 0 R "
                       b">> >> /Contents %d 0 R >>" % content)
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    return _pdf(objects, 1)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", (4).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00")
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = _png()

O1_BODY = (
    "<h1>โครงสร้างและอำนาจหน้าที่ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘</h1>"
    "<h2>แผนผังโครงสร้างองค์กร</h2><img src='/chart.png' alt='แผนภูมิโครงสร้างองค์การบริหารส่วนตำบลทดสอบ'>"
    "<p>ฝ่ายการเมือง: นายกองค์การบริหารส่วนตำบล รองนายก เลขานุการนายก ฝ่ายประจำ: ปลัด สำนักปลัด กองคลัง กองช่าง</p>"
    "<h2>อำนาจหน้าที่</h2><p>องค์การบริหารส่วนตำบลมีอำนาจหน้าที่ในการพัฒนาตำบลทั้งในด้านเศรษฐกิจ สังคม และวัฒนธรรม "
    "จัดให้มีและบำรุงรักษาทางน้ำและทางบก รักษาความสะอาดของถนน ทางน้ำ ทางเดิน และที่สาธารณะ</p>"
    "<p>ปรับปรุงข้อมูลล่าสุด 15 มกราคม 2568</p>"
)
O1_NO_YEAR = (
    "<h1>โครงสร้างและอำนาจหน้าที่</h1><h2>แผนผังโครงสร้างองค์กร</h2>"
    "<p>ฝ่ายการเมือง: นายกองค์การบริหารส่วนตำบล รองนายก ฝ่ายประจำ: ปลัด สำนักปลัด กองคลัง กองช่าง</p>"
    "<h2>อำนาจหน้าที่</h2><p>องค์การบริหารส่วนตำบลมีอำนาจหน้าที่ในการพัฒนาตำบลทั้งในด้านเศรษฐกิจ สังคม และวัฒนธรรม</p>"
)
O6_BODY = (
    "<h1>แผนการดำเนินงานและการใช้งบประมาณ ประจำปีงบประมาณ พ.ศ. 2568</h1>"
    "<p>องค์การบริหารส่วนตำบลทดสอบ จัดทำแผนปฏิบัติการและการใช้จ่ายงบประมาณรายจ่ายประจำปี จำนวน 42 โครงการ "
    "งบประมาณรวม 12,500,000 บาท</p><h2>ความก้าวหน้า รอบ 6 เดือน (1 ต.ค. 2567 – 31 มี.ค. 2568)</h2>"
    "<table><tr><th>สถานะ</th><th>จำนวนโครงการ</th></tr><tr><td>ดำเนินการแล้วเสร็จ</td><td>18</td></tr>"
    "<tr><td>อยู่ระหว่างดำเนินการ</td><td>15</td></tr><tr><td>ยังไม่ดำเนินการ</td><td>9</td></tr></table>"
    "<p>ผลการเบิกจ่ายงบประมาณ ร้อยละ 47.3</p>"
)
O6_OLD_YEAR = (
    "<h1>แผนการดำเนินงานและการใช้งบประมาณ ประจำปีงบประมาณ พ.ศ. 2566</h1>"
    "<p>องค์การบริหารส่วนตำบลทดสอบ จัดทำแผนปฏิบัติการและการใช้จ่ายงบประมาณรายจ่ายประจำปี จำนวน 40 โครงการ</p>"
    "<h2>ความก้าวหน้า รอบ 6 เดือน (1 ต.ค. 2565 – 31 มี.ค. 2566)</h2><p>ผลการเบิกจ่ายงบประมาณ ร้อยละ 51.0</p>"
)
O6_PDF_LINES = [
    "แผนการดำเนินงานและการใช้งบประมาณ",
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘",
    "องค์การบริหารส่วนตำบลทดสอบ อำเภอเมือง จังหวัดเลย",
    "รายงานความก้าวหน้า รอบ 6 เดือน ผลการเบิกจ่าย ร้อยละ 47",
]


def page(title: str, body: str, *, lang: str = "th", charset_meta: str | None = None) -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    return (f'<!doctype html><html lang="{lang}"><head>{meta}<title>{title}</title></head><body>'
            '<nav class="main-menu"><a href="/">หน้าแรก</a> <a href="/o1">โครงสร้างองค์กร</a> '
            '<a href="/o6">แผนการดำเนินงาน</a> <a href="https://www.facebook.com/testsao">Facebook</a></nav>'
            f'<main>{body}</main><footer>สงวนลิขสิทธิ์ © 2568 องค์การบริหารส่วนตำบลทดสอบ โทร 0 4281 1234</footer>'
            '</body></html>')


HOME = page("องค์การบริหารส่วนตำบลทดสอบ", "<h1>ยินดีต้อนรับสู่เว็บไซต์องค์การบริหารส่วนตำบลทดสอบ</h1>"
            "<p>ข่าวประชาสัมพันธ์ กิจกรรม และบริการประชาชน ติดต่อสอบถามได้ในวันและเวลาราชการ</p>")


# --- the server --------------------------------------------------------------------------------------


@dataclass
class Logged:
    path: str
    headers: dict
    time: float
    peer: str | None


@dataclass
class EvidenceServer:
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[Logged] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def hits(self, prefix: str) -> list[Logged]:
        return [r for r in self.requests if r.path.startswith(prefix)]

    # handlers -------------------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._log])
        html = self._html

        def get(path, fn):
            if asyncio.iscoroutinefunction(fn):
                app.router.add_get(path, fn)
                return

            async def handler(request):
                return fn(request)

            app.router.add_get(path, handler)

        get("/", lambda req: html(HOME))
        get("/index.php", lambda req: html(HOME))
        get("/th/utf8", lambda req: html(page("โครงสร้างและอำนาจหน้าที่", O1_BODY)))
        get("/th/no-year", lambda req: html(page("โครงสร้างและอำนาจหน้าที่", O1_NO_YEAR)))
        get("/th/tis620", self.tis620)
        get("/th/latin1-header", self.latin1_header)
        get("/o6", lambda req: html(page("แผนการดำเนินงาน", O6_BODY)))
        get("/o6/old", lambda req: html(page("แผนการดำเนินงาน", O6_OLD_YEAR)))
        get("/r/1", lambda req: self._redirect("/r/2", 302))
        get("/r/2", lambda req: self._redirect("/r/3", 301))
        get("/r/3", lambda req: self._redirect("/th/utf8", 307))
        get("/loop", lambda req: self._redirect("/loop", 302))
        get("/moved", lambda req: self._redirect("/", 301))
        get("/to-private", lambda req: self._redirect(
            f"http://127.0.0.2:{req.query.get('port', self.port)}/th/utf8", 302))
        get("/to-localhost", lambda req: self._redirect(f"http://localhost:{self.port}/th/utf8", 302))
        get("/to-ftp", lambda req: self._redirect("ftp://example.org/file.pdf", 302))
        get("/to-userinfo", lambda req: self._redirect(f"http://admin:secret@127.0.0.1:{self.port}/o6", 302))
        get("/meta-refresh", lambda req: html(
            '<html><head><meta http-equiv="refresh" content="0; url=/th/utf8"></head><body>กำลังไป…</body></html>'))
        get("/missing", lambda req: web.Response(
            status=404, text=page("ไม่พบหน้า", "<h1>404 ไม่พบหน้าที่ต้องการ</h1>"), content_type="text/html"))
        get("/error", lambda req: web.Response(status=500, text="Internal Server Error"))
        get("/forbidden", lambda req: web.Response(status=403, text="Forbidden"))
        get("/slow", self.slow)
        get("/huge", self.huge)
        get("/empty", lambda req: html("<html><head><title>ข้อมูล</title></head><body></body></html>"))
        get("/blank", lambda req: web.Response(body=b"", content_type="text/html"))
        get("/placeholder", lambda req: html(page(
            "แผนการดำเนินงาน", "<h1>แผนการดำเนินงาน</h1><p>อยู่ระหว่างปรับปรุงข้อมูล</p>")))
        get("/soft404", lambda req: html(page(
            "404 Not Found - ไม่พบหน้า", "<h1>ขออภัย ไม่พบหน้าที่ท่านต้องการ</h1>")))
        get("/links-only", lambda req: html(page(
            "แผนการดำเนินงาน", '<a href="/files/plan2568.pdf">ดาวน์โหลด</a>')))
        get("/drive-page", lambda req: html(page("แผนการดำเนินงาน", O6_BODY + (
            '<p>ดาวน์โหลดแผนฉบับเต็ม: <a href="https://drive.google.com/file/d/1AbCdEf/view?usp=sharing">'
            'แผนการดำเนินงาน 2568</a></p>'
            '<iframe src="https://drive.google.com/file/d/1AbCdEf/preview" width="640"></iframe>'))))
        get("/doc.pdf", lambda req: web.Response(body=make_pdf([O6_PDF_LINES, ["หน้า 2 สรุปผล"]]),
                                                       content_type="application/pdf"))
        get("/old.pdf", lambda req: web.Response(body=make_pdf([[
            "รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2566", "องค์การบริหารส่วนตำบลทดสอบ"]]),
            content_type="application/pdf"))
        get("/scan.pdf", lambda req: web.Response(body=make_scan_pdf(3), content_type="application/pdf"))
        get("/download", lambda req: web.Response(
            body=make_pdf([O6_PDF_LINES]), content_type="application/octet-stream",
            headers={"Content-Disposition": 'attachment; filename="plan2568.pdf"'}))
        get("/chart.png", lambda req: web.Response(body=PNG, content_type="image/png"))
        get("/report.docx", lambda req: web.Response(
            body=b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml" + b"\x00" * 64,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
        get("/cookie", self.cookie)
        get("/echo", self.echo)
        get("/busy/{n}", self.busy)
        get("/tick/{n}", lambda req: html(page("tick", O1_BODY)))
        return app

    @web.middleware
    async def _log(self, request, handler):
        peer = request.transport.get_extra_info("peername") if request.transport else None
        self.requests.append(Logged(request.path_qs, dict(request.headers), time.monotonic(),
                                    peer[0] if peer else None))
        return await handler(request)

    @staticmethod
    def _html(text: str, charset: str = "utf-8") -> web.Response:
        return web.Response(body=text.encode(charset), headers={"Content-Type": f"text/html; charset={charset}"})

    @staticmethod
    def _redirect(location: str, status: int) -> web.Response:
        return web.Response(status=status, headers={"Location": location})

    async def tis620(self, request):
        body = page("แผนการดำเนินงาน", O6_BODY).replace("–", "-").replace("©", "(c)").encode("tis-620")
        return web.Response(body=body, headers={"Content-Type": "text/html"})  # no charset anywhere

    async def latin1_header(self, request):
        body = page("โครงสร้างและอำนาจหน้าที่", O1_BODY).replace("©", "(c)").encode("cp874")
        return web.Response(body=body, headers={"Content-Type": "text/html; charset=ISO-8859-1"})

    async def slow(self, request):
        await asyncio.sleep(float(request.query.get("s", "5")))
        return self._html(page("ช้า", O1_BODY))

    async def huge(self, request):
        response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
        await response.prepare(request)
        await response.write(page("แผนการดำเนินงาน", O6_BODY).replace("</main>", "").encode())
        filler = ("<p>" + "ข้อมูลประกอบ " * 200 + "</p>\n").encode()
        for _ in range(3 * 1024 * 1024 // len(filler)):
            try:
                await response.write(filler)
            except (ConnectionResetError, ConnectionError):
                break
        return response

    async def cookie(self, request):
        response = web.Response(status=302, headers={"Location": "/echo"})
        response.set_cookie("session", "s3cr3t", path="/")
        return response

    async def echo(self, request):
        response = self._html(page("echo", O1_BODY))
        response.set_cookie("tracker", "again", path="/")
        return response

    async def busy(self, request):
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.2)
        finally:
            self.in_flight -= 1
        return self._html(page("busy", O1_BODY))


class RunningServer:
    """Runs an EvidenceServer in a thread with its own event loop."""

    def __init__(self, host: str = "127.0.0.1"):
        self.server = EvidenceServer(host=host)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None

    def start(self) -> EvidenceServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.server.host, 0))
        self.server.port = sock.getsockname()[1]
        self.thread.start()

        async def boot():
            self.runner = web.AppRunner(self.server.app(), access_log=None, shutdown_timeout=0.5)
            await self.runner.setup()
            await web.SockSite(self.runner, sock).start()

        asyncio.run_coroutine_threadsafe(boot(), self.loop).result(10)
        return self.server

    def stop(self) -> None:
        async def shutdown():
            if self.runner is not None:
                await self.runner.cleanup()
            pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in pending:  # handlers still sleeping for a client that gave up (/slow)
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def evidence_server():
    running = RunningServer("127.0.0.1")
    server = running.start()
    yield server
    running.stop()


@pytest.fixture(scope="module")
def evidence_server_2():
    running = RunningServer("127.0.0.2")
    server = running.start()
    yield server
    running.stop()
