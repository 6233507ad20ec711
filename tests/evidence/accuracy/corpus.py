"""The labelled pages, generated from compact templates: four invented agencies, each with its own site
template in a shape real agencies use, good evidence for every OIT item of NACC 2568 in several
wordings, and defective evidence of every kind an assessor objects to.

Site templates (what real agency sites look like, /work/shared/ita-facts-2026-12.md; no real page
copied): ``table`` an old table layout with a left menu holding the executives' photos, a
"รับเรื่องราวร้องทุกข์" link, a visitor counter and a Facebook like-box, and a footer with address,
phone, e-mail and "Copyright © 2016"; ``semantic`` header/nav/main/aside/footer; ``divs`` a
Bootstrap-like page whose sidebar and footer are marked only by class names; ``english`` an English page
with CE years (a university-like agency). The round is FY2568 (1 Oct 2567 – 30 Sep 2568 BE), except the
executives' pages (``executives_2570``), which are FY2570 pages checked against the provisional
``nacc-ita-2570`` (a case names its framework and fiscal year).

A case is good (``expect`` empty: any warning or error on it is a false alarm) or defective
(``expect``: the finding codes that must fail, with severity warning or error, for the defect to count
as caught). Every case has a short ``label`` saying what it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.evidence.servers import PNG, make_pdf, make_scan_pdf

FY = 2568
AGENCIES = {
    # host: (name, template, lang)
    "www.bankhok.go.th": ("องค์การบริหารส่วนตำบลบ้านโคก", "table", "th"),
    "www.nongbua-city.go.th": ("เทศบาลตำบลหนองบัวทอง", "semantic", "th"),
    "phuruea-hospital.go.th": ("โรงพยาบาลภูเรือวัฒนา", "divs", "th"),
    "www.lrtu.ac.th": ("Loei Riverside Technical University", "english", "en"),
}
OUTSIDE_HOSTS = ("drive.google.com", "www.facebook.com", "bankhok.blogspot.com", "counter.statwidget.net",
                 "www.lrtu-alumni.org")
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@dataclass(frozen=True)
class Page:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None


@dataclass(frozen=True)
class Case:
    id: str
    host: str
    path: str
    item: str
    expect: frozenset[str]
    label: str
    tags: tuple[str, ...] = field(default_factory=tuple)
    framework: str = "nacc-ita-2568"   # the framework file whose item the case is checked against
    fy: int = FY                       # the round's fiscal year

    @property
    def good(self) -> bool:
        return not self.expect


# --- templates ------------------------------------------------------------------------------------

_MENU_TH = ["หน้าแรก", "โครงสร้างองค์กร", "อำนาจหน้าที่", "ผู้บริหาร", "ข่าวประชาสัมพันธ์", "แผนพัฒนาท้องถิ่น",
            "ข้อมูลการติดต่อ", "ITA ปีงบประมาณ 2568", "รับเรื่องราวร้องทุกข์", "กระดานถามตอบ"]


def _menu(host: str) -> str:
    return " ".join(f'<a href="/menu/{i}">{name}</a>' for i, name in enumerate(_MENU_TH))


def _wrap(host: str, title: str, content: str) -> str:
    name, template, lang = AGENCIES[host]
    if template == "table":
        return (
            f"<html><head><title>{title} - {name}</title></head><body>"
            f'<table width="1000"><tr><td colspan="2" id="banner"><img src="/images/banner.jpg" alt="{name}"></td></tr>'
            f'<tr><td class="left-menu" width="220">{_menu(host)}'
            '<div><img src="/images/mayor.jpg" alt="นายสมศักดิ์ ใจงาม"><br>นายกองค์การบริหารส่วนตำบล</div>'
            '<div><img src="/images/palad.jpg" alt="นางวันดี มีสุข"><br>ปลัดองค์การบริหารส่วนตำบล</div>'
            '<a href="/complaint">รับเรื่องราวร้องทุกข์</a>'
            '<script src="http://counter.statwidget.net/c.js?id=8841"></script>'
            '<iframe src="https://www.facebook.com/plugins/page.php?href=bankhok" width="200"></iframe>'
            f'</td><td valign="top">{content}</td></tr>'
            f'<tr><td colspan="2" class="footer">{name} 99 หมู่ 4 ตำบลบ้านโคก อำเภอเมือง จังหวัดเลย 42000 '
            "โทร 0-4281-1234 อีเมล saraban@bankhok.go.th Copyright © 2016 All rights reserved.</td></tr>"
            "</table></body></html>")
    if template == "semantic":
        return (
            f'<!doctype html><html lang="th"><head><meta charset="utf-8"><title>{title} | {name}</title></head><body>'
            f'<header><img src="/img/logo.png" alt="ตราสัญลักษณ์{name}"> {name}</header>'
            f"<nav>{_menu(host)}</nav>"
            f"<main>{content}</main>"
            '<aside><h3>ผู้บริหาร</h3><img src="/img/mayor.jpg" alt="นายกเทศมนตรี"> '
            '<h3>สถิติผู้เข้าชม</h3><p>วันนี้ 128 เดือนนี้ 4,210 ทั้งหมด 210,554</p>'
            '<iframe src="https://www.facebook.com/plugins/page.php?href=nongbua"></iframe></aside>'
            f"<footer>{name} โทร 042-810-222 e-mail: info@nongbua-city.go.th © 2016 สงวนลิขสิทธิ์</footer>"
            "</body></html>")
    if template == "divs":
        return (
            f'<html><head><meta charset="utf-8"><title>{name} :: {title}</title></head><body>'
            f'<div class="navbar navbar-default">{_menu(host)}</div>'
            '<div class="container"><div class="row">'
            f'<div class="col-md-9" id="content">{content}</div>'
            '<div class="col-md-3 sidebar"><p>ผู้อำนวยการโรงพยาบาล</p>'
            '<img src="/images/director.jpg" alt="นายแพทย์ประเสริฐ ดีงาม"></div></div></div>'
            f'<div class="site-footer">{name} 11 ถนนเลย-ด่านซ้าย โทรศัพท์ 042-801-555 '
            "Copyright © 2016 Phuruea Hospital</div></body></html>")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} - {name}</title></head><body>'
        f'<nav class="menu"><a href="/">Home</a> <a href="/about">About</a> <a href="/ita">ITA</a></nav>'
        f"<main>{content}</main>"
        f"<footer>{name}, 234 Loei-Chiang Khan Road, Loei 42000. Tel. +66 42 835 000. © 2016 All rights reserved."
        "</footer></body></html>")


# --- year wordings -----------------------------------------------------------------------------------


def fy_phrase(year: int, v: int) -> str:
    forms = [f"ประจำปีงบประมาณ พ.ศ. {year}", f"ปีงบประมาณ {year}",
             f"ประจำปีงบประมาณ พ.ศ. {str(year).translate(THAI_DIGITS)}", f"ปีงบประมาณ พ.ศ.{year}"]
    return forms[v % len(forms)]


def th_date(day: int, month: int, year: int, v: int) -> str:
    full = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
            "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
    short = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
    forms = [f"{day} {full[month - 1]} {year}", f"{day} {short[month - 1]} {year}",
             f"{day}/{month:02d}/{year}", f"{day} {short[month - 1]} {year % 100}"]
    return forms[v % len(forms)]


# --- good content per item (FY2568; previous FY 2567) --------------------------------------------------


def good_th(item: str, v: int, host: str) -> tuple[str, str]:
    name = AGENCIES[host][0]
    y, p = FY, FY - 1
    fy = fy_phrase(y, v)
    fyp = fy_phrase(p, v)
    rows = "".join(f"<tr><td>{i}</td><td>{t}</td><td>{b:,}</td></tr>" for i, (t, b) in enumerate(
        [("ก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ 3", 480000), ("จัดซื้อวัสดุสำนักงาน", 35000),
         ("ซ่อมแซมระบบประปาหมู่บ้าน", 120000)], 1))
    if item == "o1":
        if v % 2:
            return "โครงสร้างองค์กร", (
                '<h2>แผนผังโครงสร้างองค์กร</h2><img src="/images/structure-chart.jpg" alt="แผนภูมิโครงสร้างส่วนราชการ">'
                f"<h2>หน้าที่และอำนาจ</h2><p>{name} มีหน้าที่และอำนาจตามกฎหมายจัดตั้ง ได้แก่ การจัดให้มีและบำรุงรักษา"
                "ทางบกและทางน้ำ การป้องกันโรคและระงับโรคติดต่อ การส่งเสริมการศึกษา ศาสนา และวัฒนธรรม</p>")
        return "โครงสร้างและอำนาจหน้าที่", (
            f"<h1>โครงสร้างและอำนาจหน้าที่</h1><p>โครงสร้างการแบ่งส่วนราชการของ{name}</p>"
            '<img src="/images/org.png" alt="ผังองค์กร">'
            "<h2>อำนาจหน้าที่</h2><ol><li>พัฒนาตำบลทั้งในด้านเศรษฐกิจ สังคม และวัฒนธรรม</li>"
            "<li>จัดให้มีและบำรุงรักษาทางน้ำและทางบก</li><li>รักษาความสะอาดของถนน ทางน้ำ และที่สาธารณะ</li></ol>")
    if item == "o2":
        people = [("นายสมศักดิ์ ใจงาม", "นายกองค์การบริหารส่วนตำบล", "08-1234-5678"),
                  ("นายประยูร ศรีสุข", "รองนายกองค์การบริหารส่วนตำบล", "08-2345-6789"),
                  ("นางวันดี มีสุข", "ปลัดองค์การบริหารส่วนตำบล", "08-3456-7890")]
        cards = "".join(f'<div class="person"><img src="/images/p{i}.jpg" alt="{n}"><p>{n}</p><p>{pos}</p>'
                        f"<p>โทร {tel}</p></div>" for i, (n, pos, tel) in enumerate(people))
        if v % 2:
            cards = "".join(f'<div class="person"><img src="/images/p{i}.jpg" alt="{n}"><p>{pos}</p>'
                            f'<p><a href="tel:{tel}">{tel}</a> อีเมล {i}@example.go.th</p></div>'
                            for i, (n, pos, tel) in enumerate(people))
        return "ทำเนียบผู้บริหาร", f"<h1>ทำเนียบผู้บริหาร</h1>{cards}"
    if item == "o3":
        return "ติดต่อเรา", (
            f"<h1>ข้อมูลการติดต่อ</h1><p>{name}</p><p>ที่อยู่ 99 หมู่ 4 ตำบลบ้านโคก อำเภอเมือง จังหวัดเลย 42000</p>"
            "<p>โทรศัพท์ 0-4281-1234 โทรสาร 0-4281-1235</p><p>อีเมล saraban@example.go.th</p>"
            '<p>Facebook: <a href="https://www.facebook.com/bankhok">เพจหน่วยงาน</a></p><h2>แผนที่</h2>'
            '<iframe src="https://www.google.com/maps/embed?pb=!1m18" width="600" height="450"></iframe>')
    if item == "o4":
        news = [(th_date(12, 11, p, v), "ประชาสัมพันธ์การชำระภาษีที่ดินและสิ่งปลูกสร้าง"),
                (th_date(5, 2, y, v), "ข่าวกิจกรรมวันเด็กแห่งชาติ"),
                (th_date(20, 3, y, v), "ประกาศรับสมัครพนักงานจ้างตามภารกิจ")]
        return "ข่าวประชาสัมพันธ์", "<h1>ข่าวประชาสัมพันธ์</h1><ul>" + "".join(
            f"<li>{t} ({d})</li>" for d, t in news) + "</ul>"
    if item == "o5":
        span = ["พ.ศ. 2566 – 2570", "(พ.ศ. 2566-2570)", "พ.ศ. ๒๕๖๖ - ๒๕๗๐", "ปี 2566 ถึง 2570"][v % 4]
        return "แผนพัฒนาท้องถิ่น", (
            f"<h1>แผนพัฒนาท้องถิ่น {span}</h1><p>{name} ได้จัดทำแผนพัฒนาท้องถิ่น ซึ่งเป็นแผนยุทธศาสตร์การพัฒนา "
            "ประกอบด้วยยุทธศาสตร์ 6 ด้าน ได้แก่ ด้านโครงสร้างพื้นฐาน ด้านเศรษฐกิจ ด้านสังคม</p>")
    if item == "o6":
        return "แผนการดำเนินงาน", (
            f"<h1>แผนการดำเนินงาน {fy}</h1><p>{name} จัดทำแผนการดำเนินงานและการใช้งบประมาณรายจ่ายประจำปี "
            f"จำนวน 42 โครงการ งบประมาณรวม 12,500,000 บาท</p><h2>รายงานความก้าวหน้า รอบ 6 เดือน</h2>"
            f"<table><tr><th>ลำดับ</th><th>โครงการ</th><th>งบประมาณ</th></tr>{rows}</table>"
            "<p>ผลการเบิกจ่ายงบประมาณ ร้อยละ 47.3</p>")
    if item == "o7":
        return "รายงานผลการดำเนินงาน", (
            f"<h1>รายงานผลการดำเนินงาน {fyp}</h1><p>{name} ดำเนินโครงการแล้วเสร็จ 38 โครงการ จาก 42 โครงการ "
            "คิดเป็นร้อยละ 90.48 ผลการเบิกจ่ายงบประมาณ ร้อยละ 88.2 ปัญหาและอุปสรรค ข้อเสนอแนะ</p>")
    if item == "o8":
        return "คู่มือการปฏิบัติงาน", (
            "<h1>คู่มือการปฏิบัติงาน</h1><ul><li>คู่มือการปฏิบัติงานด้านการจัดเก็บรายได้</li>"
            "<li>คู่มือการปฏิบัติงานการรับเรื่องร้องเรียน</li><li>มาตรฐานการปฏิบัติงานงานพัสดุ</li></ul>"
            "<p>ขั้นตอนการปฏิบัติงาน ผู้รับผิดชอบ และระยะเวลาดำเนินการของแต่ละงาน</p>")
    if item == "o9":
        return "คู่มือสำหรับประชาชน", (
            "<h1>คู่มือสำหรับประชาชน</h1><p>คู่มือการขอรับบริการ การขออนุญาตก่อสร้างอาคาร การลงทะเบียนเบี้ยยังชีพ"
            "ผู้สูงอายุ ขั้นตอนการให้บริการ ระยะเวลา และเอกสารที่ผู้มาติดต่อต้องเตรียม</p>")
    if item == "o10":
        return "E-Service", (
            "<h1>บริการออนไลน์ (E-Service)</h1><p>ยื่นคำร้องขอรับบริการออนไลน์ได้ตลอด 24 ชั่วโมง "
            '<a href="/eservice/form">แบบคำร้องออนไลน์</a> ขอใบอนุญาต แจ้งซ่อมไฟฟ้าสาธารณะ</p>')
    if item == "o11":
        return "สถิติการให้บริการ", (
            f"<h1>ข้อมูลสถิติการให้บริการ {fy}</h1><table><tr><th>เดือน</th><th>จำนวนผู้รับบริการ</th></tr>"
            f"<tr><td>{th_date(1, 10, p, v)}</td><td>312</td></tr><tr><td>{th_date(1, 11, p, v)}</td><td>287</td></tr>"
            "</table><p>สรุปสถิติการให้บริการ รอบ 6 เดือน</p>")
    if item == "o12":
        return "การจัดซื้อจัดจ้าง", (
            f"<h1>รายการการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ {fy}</h1>"
            f"<table><tr><th>ลำดับ</th><th>รายการ</th><th>วงเงิน</th></tr>{rows}</table>"
            "<p>ความก้าวหน้า: สถานะการดำเนินการ ลงนามสัญญาแล้ว 2 รายการ อยู่ระหว่างตรวจรับ 1 รายการ</p>")
    if item == "o13":
        return "รายงานผลการจัดซื้อจัดจ้าง", (
            f"<h1>รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ {fyp}</h1><p>ประจำปี สรุปผลการจัดซื้อจัดจ้าง "
            f"ตั้งแต่ {th_date(1, 10, p - 1, v)} ถึง {th_date(30, 9, p, v)} จำนวน 125 รายการ วงเงินรวม 9,870,000 บาท "
            "ปัญหาอุปสรรคและแนวทางแก้ไข</p>")
    if item == "o14":
        return "แผนบริหารทรัพยากรบุคคล", (
            "<h1>แผนการบริหารและพัฒนาทรัพยากรบุคคล (พ.ศ. 2567 – 2569)</h1><p>เป้าหมาย ยุทธศาสตร์ "
            "และโครงการพัฒนาทรัพยากรบุคคลของหน่วยงาน การสรรหา การพัฒนา การรักษาบุคลากร</p>")
    if item == "o15":
        return "รายงานผลการบริหารทรัพยากรบุคคล", (
            f"<h1>รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล {fyp}</h1><p>ผลการดำเนินการตามแผนการบริหาร"
            "ทรัพยากรบุคคล การฝึกอบรม 12 หลักสูตร ผู้เข้าร่วม 64 คน</p>")
    if item == "o16":
        return "ประมวลจริยธรรม", (
            "<h1>ประมวลจริยธรรมของเจ้าหน้าที่</h1><p>ประมวลจริยธรรมสำหรับเจ้าหน้าที่ของหน่วยงาน</p>"
            f"<h2>การขับเคลื่อนจริยธรรม {fy}</h2><p>กิจกรรมส่งเสริมจริยธรรม การอบรมคุณธรรม จริยธรรม "
            f"เมื่อวันที่ {th_date(15, 1, y, v)}</p>")
    if item == "o17":
        return "แนวปฏิบัติการจัดการเรื่องร้องเรียน", (
            "<h1>แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ</h1><p>ขั้นตอนการรับเรื่อง "
            "การตรวจสอบข้อเท็จจริง การแจ้งผลให้ผู้ร้องทราบภายใน 15 วัน ผู้รับผิดชอบ และแบบฟอร์มการร้องเรียน</p>")
    if item == "o18":
        return "ช่องทางแจ้งเรื่องร้องเรียน", (
            "<h1>ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ</h1><p>แจ้งเบาะแสหรือร้องเรียนการทุจริต"
            'ผ่านช่องทางออนไลน์ <a href="/complaint/form">แบบฟอร์มร้องเรียนออนไลน์</a> '
            "หรือโทร 0-4281-1234 ตู้ไปรษณีย์ ปณ. 9</p>")
    if item == "o19":
        return "สถิติเรื่องร้องเรียน", (
            f"<h1>ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ {fyp}</h1><table>"
            "<tr><td>จำนวนเรื่องร้องเรียนทั้งหมด</td><td>3</td></tr><tr><td>ดำเนินการแล้วเสร็จ</td><td>2</td></tr>"
            "<tr><td>อยู่ระหว่างดำเนินการ</td><td>1</td></tr></table>")
    if item == "o20":
        return "การมีส่วนร่วม", (
            f"<h1>การเปิดโอกาสให้เกิดการมีส่วนร่วม {fy}</h1><p>โครงการประชาคมหมู่บ้านเพื่อจัดทำแผนพัฒนา "
            f"เมื่อ {th_date(14, 2, y, v)} ผู้เข้าร่วม ได้แก่ ประชาชนและผู้นำชุมชน 120 คน สรุปผลการดำเนินการ "
            "นำผลไปปรับปรุงแผนพัฒนาหมู่บ้าน</p>")
    if item == "o21":
        return "No Gift Policy", (
            f"<h1>ประกาศเจตนารมณ์ No Gift Policy {fy}</h1><p>ผู้บริหารและเจ้าหน้าที่ทุกคนจะไม่รับของขวัญและของกำนัล"
            f"ทุกชนิดจากการปฏิบัติหน้าที่</p><h2>กิจกรรมสร้างวัฒนธรรม No Gift Policy</h2><p>ประกาศ ณ วันที่ "
            f"{th_date(1, 11, p, v)}</p>")
    if item == "o22":
        return "รายงานการรับทรัพย์สิน", (
            f"<h1>รายงานการรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา {fyp}</h1>"
            "<p>ไม่มีการรับทรัพย์สินหรือประโยชน์อื่นใดเกินกว่าที่กฎหมายกำหนด</p>")
    if item == "o23":
        return "การประเมินความเสี่ยง", (
            f"<h1>การประเมินความเสี่ยงการทุจริต {fy}</h1><p>ผลการประเมินความเสี่ยงที่อาจเกิดการให้หรือรับสินบน "
            "ในกระบวนการอนุมัติ อนุญาต ระดับความเสี่ยงปานกลาง มาตรการควบคุม</p>")
    if item == "o24":
        return "รายงานผลการจัดการความเสี่ยง", (
            f"<h1>รายงานผลการดำเนินการเพื่อจัดการความเสี่ยงการทุจริต {fyp}</h1><p>ผลการดำเนินการตามมาตรการ"
            "ป้องกันความเสี่ยง จำนวน 3 มาตรการ ดำเนินการครบถ้วน</p>")
    if item == "o25":
        return "แผนปฏิบัติการป้องกันการทุจริต", (
            f"<h1>แผนปฏิบัติการป้องกันการทุจริต {fy}</h1><table><tr><th>โครงการ/กิจกรรม</th><th>งบประมาณ</th></tr>"
            "<tr><td>โครงการอบรมคุณธรรมจริยธรรม</td><td>20,000</td></tr></table>")
    if item == "o26":
        return "มาตรการส่งเสริมคุณธรรม", (
            f"<h1>มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน {fy}</h1><p>จากการวิเคราะห์ผลการประเมิน "
            "ITA ปีที่ผ่านมา หน่วยงานกำหนดมาตรการ ผู้รับผิดชอบ และระยะเวลา</p>")
    raise KeyError(item)


def good_en(item: str, v: int) -> tuple[str, str]:
    """English pages of a university-like agency, with CE years (FY2025 CE = FY2568 BE)."""
    if item == "o1":
        return "Organizational Structure", (
            '<h1>Organizational Structure</h1><img src="/img/org-chart.png" alt="Organization chart">'
            "<h2>Powers and Duties</h2><p>The university provides higher education, research and academic services "
            "to the community, and preserves local arts and culture.</p>")
    if item == "o2":
        return "Executives", (
            "<h1>University Executives</h1>" + "".join(
                f'<div><img src="/img/e{i}.jpg" alt="{n}"><p>{n}</p><p>{pos}</p><p>Tel. +66 42 835 00{i} '
                f"e-mail: {n.split()[1].lower()}@lrtu.ac.th</p></div>"
                for i, (n, pos) in enumerate([("Assoc. Prof. Somchai Dee", "President"),
                                              ("Dr. Wanida Sook", "Vice President for Academic Affairs")])))
    if item == "o3":
        return "Contact Us", (
            "<h1>Contact Us</h1><p>Address: 234 Loei-Chiang Khan Road, Muang, Loei 42000</p>"
            "<p>Phone: +66 42 835 000</p><p>E-mail: info@lrtu.ac.th</p>"
            '<iframe src="https://www.google.com/maps/embed?pb=!1m14"></iframe>')
    if item == "o6":
        return "Annual Action Plan", (
            f"<h1>Annual Action Plan, Fiscal Year {FY - 543}</h1><p>The operational plan and budget: 35 projects, "
            "budget 48.2 million baht.</p><h2>Progress (first six months)</h2><p>Disbursement 46 percent.</p>")
    if item == "o13":
        return "Procurement Report", (
            f"<h1>Annual Procurement Report, FY{FY - 544}</h1><p>Summary of procurement from October 1, {FY - 545} "
            f"to September 30, {FY - 544}: 212 contracts, 31.5 million baht.</p>")
    raise KeyError(item)


# --- PDFs ------------------------------------------------------------------------------------------------

def pdf_lines(item: str, v: int, year: int) -> list[str]:
    fy = fy_phrase(year, v)
    return {
        "o6": ["แผนการดำเนินงานและการใช้งบประมาณ", fy, "จำนวน 42 โครงการ งบประมาณ 12,500,000 บาท",
               "รายงานความก้าวหน้า รอบ 6 เดือน ผลการเบิกจ่าย ร้อยละ 47"],
        "o7": ["รายงานผลการดำเนินงาน", fy, "ดำเนินโครงการแล้วเสร็จ 38 โครงการ"],
        "o13": ["รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ ประจำปี", fy, "จำนวน 125 รายการ"],
        "o15": ["รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล", fy, "การฝึกอบรม 12 หลักสูตร"],
        "o23": ["การประเมินความเสี่ยงการทุจริต การให้หรือรับสินบน", fy, "ระดับความเสี่ยง มาตรการควบคุม"],
        "o25": ["แผนปฏิบัติการป้องกันการทุจริต", fy, "โครงการ กิจกรรม งบประมาณ"],
        "o26": ["มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", fy, "มาตรการ ผู้รับผิดชอบ ระยะเวลา"],
    }[item]


PDF_YEAR = {"o6": FY, "o7": FY - 1, "o13": FY - 1, "o15": FY - 1, "o23": FY, "o25": FY, "o26": FY}


def shift_years(text: str, by: int) -> str:
    """Every BE year (2550–2579, Arabic or Thai digits) and short year after a Thai month moved by ``by``."""
    def four(m):
        thai = m.group(0)[0] == "๒"
        year = int(m.group(0).translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))) + by
        return str(year).translate(THAI_DIGITS) if thai else str(year)
    text = re.sub(r"(?<!\d)(?:25[5-7]\d|๒๕[๕-๗][๐-๙])(?!\d)", four, text)
    return re.sub(r"(?<=\.) (6[0-9]|7[0-9])(?!\d)", lambda m: f" {int(m.group(1)) + by}", text)


def strip_years(text: str) -> str:
    """The text with its years and dates taken out (the data carry no year)."""
    text = re.sub(r"\s?(?:พ\.ศ\.\s?)?(?:25[5-7]\d|๒๕[๕-๗][๐-๙])(?!\d)", "", text)
    return re.sub(r"\d{1,2}/\d{2}/\d{2,4}|(?<=\.) [6-7]\d(?!\d)", "", text)


# --- building the set ------------------------------------------------------------------------------


def build() -> tuple[list[Case], dict[tuple[str, str], Page]]:
    """Every case and the pages to serve, keyed by (host, path)."""
    cases: list[Case] = []
    pages: dict[tuple[str, str], Page] = {}

    def html(host: str, path: str, title: str, content: str, *, charset: str = "utf-8", header: bool = True) -> None:
        text = _wrap(host, title, content)
        ctype = f"text/html; charset={charset}" if header else "text/html"
        pages[(host, path)] = Page(200, text.replace("©", "(c)").replace("–", "-").encode(charset)
                                   if charset != "utf-8" else text.encode(), ctype)

    def add(host, path, item, expect, label, *tags):
        cases.append(Case(f"{len(cases) + 1:03d}-{item}-{path.strip('/').replace('/', '-')[:30]}", host, path,
                          item, frozenset(expect), label, tags))

    thai_hosts = [h for h, (_, _, lang) in AGENCIES.items() if lang == "th"]
    items = [f"o{n}" for n in range(1, 27)]
    # good pages: every item on every Thai template, two wordings on the first
    for h_index, host in enumerate(thai_hosts):
        for item in items:
            for v in ((0, 1) if h_index == 0 else (h_index + 1,)):
                title, content = good_th(item, v, host)
                path = f"/ita/{FY}/{item}/v{v}"
                html(host, path, title, content)
                add(host, path, item, (), f"good {item} ({AGENCIES[host][1]} template, wording {v})", "good", "html")
    # TIS-620 pages without a charset (old sites)
    for item in ("o1", "o3", "o6", "o12", "o19", "o20", "o25", "o26"):
        host = "www.bankhok.go.th"
        title, content = good_th(item, 2, host)
        path = f"/old/{item}.php"
        html(host, path, title, content, charset="tis-620", header=False)
        add(host, path, item, (), f"good {item}, TIS-620 without a charset", "good", "tis620")
    # English pages with CE years
    for item in ("o1", "o2", "o3", "o6", "o13"):
        host = "www.lrtu.ac.th"
        title, content = good_en(item, 0)
        path = f"/en/ita/{item}"
        html(host, path, title, content)
        add(host, path, item, (), f"good {item}, English with CE years", "good", "english")
    # text PDFs, directly and from a data page on the same site that links to them
    for v, item in enumerate(PDF_YEAR):
        host = thai_hosts[v % len(thai_hosts)]
        path = f"/files/ita{FY}/{item}.pdf"
        pages[(host, path)] = Page(200, make_pdf([pdf_lines(item, v, PDF_YEAR[item]), ["หน้า 2"]]),
                                   "application/pdf")
        add(host, path, item, (), f"good {item}, text PDF", "good", "pdf")
        title = pdf_lines(item, v, PDF_YEAR[item])[0]
        data_path = f"/ita/{FY}/{item}-data"
        html(host, data_path, title, f'<h1>{title}</h1><p><a href="{path}">{title} {fy_phrase(PDF_YEAR[item], v)} '
                                     "(PDF)</a></p>")
        add(host, data_path, item, (), f"good {item}, a data page linking to its PDF on the same site", "good",
            "data_page")
    # shapes added after the rules were tuned (held out), kept to show how the checker does on new shapes
    host = "phuruea-hospital.go.th"
    held_out = {
        "o4": ("ข่าวประชาสัมพันธ์", "<h1>ข่าวประชาสัมพันธ์</h1><p>2 ต.ค. 2567 ประชุมประจำเดือน</p>"
               "<p>15 ม.ค. 2568 รณรงค์ฉีดวัคซีน</p>"),
        "o11": ("สถิติผู้รับบริการ", "<h1>สถิติการให้บริการผู้ป่วยนอก</h1><table><tr><th>เดือน</th><th>ราย</th></tr>"
                "<tr><td>ต.ค. ๒๕๖๗</td><td>๑,๒๐๓</td></tr><tr><td>พ.ย. ๒๕๖๗</td><td>๑,๑๘๔</td></tr></table>"),
        "o20": ("Participation", "<h1>การเปิดโอกาสให้เกิดการมีส่วนร่วม</h1><p>โครงการรับฟังความคิดเห็น "
                "ผู้มีส่วนได้ส่วนเสีย 15 February 2025 ผู้เข้าร่วม ประชาชน 80 คน สรุปผลการดำเนินการ "
                "นำผลไปปรับปรุงบริการ</p>"),
        "o12": ("จัดซื้อจัดจ้าง", "<h1>การจัดซื้อจัดจ้าง</h1><table><tr><th>เลขที่สัญญา</th><th>รายการ</th>"
                "<th>สถานะ</th></tr><tr><td>12/2568</td><td>จัดซื้อเวชภัณฑ์</td><td>ลงนามแล้ว</td></tr>"
                "<tr><td>13/2568</td><td>จัดหาพัสดุสำนักงาน</td><td>อยู่ระหว่างตรวจรับ</td></tr></table>"
                "<p>ความก้าวหน้าการจัดซื้อจัดจ้าง</p>"),
        "o2": ("ผู้บริหาร", "<h1>ผู้บริหารโรงพยาบาล</h1><table><tr><td><img src='/images/d1.jpg'></td>"
               "<td>นายแพทย์ประเสริฐ ดีงาม<br>ผู้อำนวยการโรงพยาบาล<br>โทร 042-801-555 ต่อ 101</td></tr>"
               "<tr><td><img src='/images/d2.jpg'></td><td>นางสาวกานดา ใจเย็น<br>รองผู้อำนวยการฝ่ายบริหาร<br>"
               "โทร 042-801-555 ต่อ 102</td></tr></table>"),
        "o25": ("แผนป้องกันการทุจริต", "<h1>แผนปฏิบัติการป้องกันการทุจริต ปีงบประมาณ พ.ศ. 2568 – 2570</h1>"
                "<p>โครงการ กิจกรรม งบประมาณ ผู้รับผิดชอบ</p>"),
        "o18": ("แจ้งเรื่องร้องเรียน", "<h1>ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ</h1><p>แจ้งเบาะแส"
                "ผ่านแบบฟอร์มออนไลน์ด้านล่าง</p><iframe src='https://docs.google.com/forms/d/e/1FAIpQ/viewform?embedded=true'>"
                "</iframe>"),
        "o3": ("ติดต่อ", "<h1>ติดต่อโรงพยาบาล</h1><p>ที่อยู่ 11 ถนนเลย-ด่านซ้าย อำเภอภูเรือ จังหวัดเลย</p>"
               "<p><a href='tel:042801555'>โทรศัพท์</a> <a href='mailto:info@example.go.th'>อีเมล</a></p>"),
    }
    for item, (title, content) in held_out.items():
        path = f"/ita/new/{item}"
        html(host, path, title, content)
        add(host, path, item, (), f"good {item}, a shape added after tuning", "good", "held_out")
    # --- defects -------------------------------------------------------------------------------------
    dated = ("o4", "o6", "o7", "o11", "o12", "o13", "o15", "o16", "o19", "o20", "o21", "o23", "o24", "o25", "o26")
    host = "www.nongbua-city.go.th"
    for v, item in enumerate(dated):
        title, content = good_th(item, v, host)
        wrong = shift_years(content, -3)
        path = f"/ita/old/{item}"
        html(host, path, title, wrong)
        add(host, path, item, {"fiscal_year"}, f"defect: {item} of a wrong year", "wrong_year")
    # short dates only, of the wrong year
    for item in ("o4", "o11", "o20"):
        host = "www.bankhok.go.th"
        words = {"o4": "ข่าวประชาสัมพันธ์ กิจกรรมวันเด็ก", "o11": "สถิติการให้บริการ จำนวนผู้รับบริการ 312 ราย",
                 "o20": "การมีส่วนร่วม ประชาคมหมู่บ้าน ผู้เข้าร่วม ประชาชน สรุปผลการดำเนินการ ปรับปรุง"}[item]
        content = f"<h1>{words}</h1><ul>" + "".join(
            f"<li>{words} ครั้งที่ {i} วันที่ {d}/{m}/{FY % 100 - 3}</li>" for i, (d, m) in enumerate(
                [(3, 11), (15, 12), (9, 2)], 1)) + "</ul>"
        path = f"/ita/short/{item}"
        html(host, path, words[:20], content)
        add(host, path, item, {"fiscal_year"}, f"defect: {item} with short dates of a wrong year only", "short_dates")
    # a year only in the footer (the data carry none)
    for item in ("o6", "o12", "o21", "o25"):
        host = "www.bankhok.go.th"
        title, content = good_th(item, 0, host)
        content = strip_years(content.replace(f" {fy_phrase(FY, 0)}", ""))
        path = f"/ita/noyear/{item}"
        html(host, path, title, content)
        pages[(host, path)] = Page(200, pages[(host, path)].body.replace(
            b"Copyright \xc2\xa9 2016", f"ปรับปรุงเว็บไซต์ ปี {FY}".encode()), "text/html; charset=utf-8")
        add(host, path, item, {"fiscal_year"}, f"defect: {item} whose only year is in the footer", "footer_year")
    # off-site hosts
    for item, out_host, path in (("o6", "drive.google.com", "/file/d/1xYz/view"),
                                 ("o4", "www.facebook.com", "/bankhok/posts/12345"),
                                 ("o1", "bankhok.blogspot.com", "/p/structure.html"),
                                 ("o12", "drive.google.com", "/drive/folders/abc"),
                                 ("o3", "www.facebook.com", "/bankhok"),
                                 ("o2", "www.lrtu-alumni.org", "/board")):
        title, content = good_th(item, 0, "www.bankhok.go.th")
        pages[(out_host, path)] = Page(200, _wrap("www.bankhok.go.th", title, content).encode())
        cases.append(Case(f"{len(cases) + 1:03d}-{item}-offsite", out_host, path, item,
                          frozenset({"off_domain"}), f"defect: {item} on {out_host}", ("off_site",)))
    # the home page, and a deep link that redirects to it
    for host in thai_hosts:
        title, content = "หน้าแรก", "<h1>ยินดีต้อนรับ</h1><p>ข่าวประชาสัมพันธ์ กิจกรรม บริการประชาชน โครงสร้าง แผนพัฒนา</p>"
        html(host, "/", title, content)
        add(host, "/", "o4", {"home_page"}, "defect: the home page given for o4", "home")
        pages[(host, "/index.php?option=com_content&id=99")] = Page(301, location="/")
        add(host, "/index.php?option=com_content&id=99", "o1", {"home_page"}, "defect: a link redirecting home",
            "redirect_home")
    # 404, soft 404, placeholders, scanned PDFs, an image-only Word file
    for n, host in enumerate(thai_hosts):
        pages[(host, f"/ita/{FY}/missing{n}.pdf")] = Page(404, b"<h1>Not Found</h1>", "text/html")
        add(host, f"/ita/{FY}/missing{n}.pdf", "o7", {"http_error"}, "defect: 404", "404")
        html(host, f"/ita/{FY}/gone{n}", "ไม่พบหน้าที่ท่านต้องการ", "<h1>ขออภัย ไม่พบหน้าที่ท่านต้องการ (404)</h1>")
        add(host, f"/ita/{FY}/gone{n}", "o12", {"empty"}, "defect: a soft 404 page", "soft_404")
        for item, phrase in (("o14", "อยู่ระหว่างปรับปรุงข้อมูล"), ("o22", "ยังไม่มีข้อมูล")):
            html(host, f"/ita/{FY}/wait-{item}", "ITA", f"<h1>{good_th(item, 0, host)[0]}</h1><p>{phrase}</p>")
            add(host, f"/ita/{FY}/wait-{item}", item, {"empty"}, f"defect: a placeholder ({phrase})", "placeholder")
        pages[(host, f"/files/scan{n}.pdf")] = Page(200, make_scan_pdf(2), "application/pdf")
        add(host, f"/files/scan{n}.pdf", ("o7", "o13", "o25")[n], {"no_text_layer"}, "defect: a scanned PDF",
            "scanned")
    # missing elements: the executives page of the real pattern (no contact per person), progress
    # without its plan's year, complaint statistics without the pending count
    host = "www.bankhok.go.th"
    people = "".join(f'<div><img src="/images/x{i}.jpg" alt="{n}"><p>{pos}</p></div>' for i, (n, pos) in enumerate(
        [("นายสมศักดิ์ ใจงาม", "นายกองค์การบริหารส่วนตำบล"), ("นายประยูร ศรีสุข", "รองนายกองค์การบริหารส่วนตำบล")]))
    html(host, "/ita/exec-nocontact", "คณะผู้บริหาร", f"<h1>คณะผู้บริหาร</h1>{people}")
    add(host, "/ita/exec-nocontact", "o2", {"elements"}, "defect: executives without a contact channel", "element")
    html(host, "/ita/stats-partial", "สถิติเรื่องร้องเรียน",
         f"<h1>ข้อมูลสถิติเรื่องร้องเรียนการทุจริต {fy_phrase(FY - 1, 0)}</h1><p>จำนวนเรื่องร้องเรียนทั้งหมด 3 เรื่อง "
         "ดำเนินการแล้วเสร็จ 3 เรื่อง</p>")
    add(host, "/ita/stats-partial", "o19", {"elements"}, "defect: complaint statistics without the pending count",
        "element")
    html(host, "/ita/nogift-noyear-element", "No Gift Policy",
         "<h1>ประกาศเจตนารมณ์ No Gift Policy</h1><p>ผู้บริหารจะไม่รับของขวัญ</p><p>ประกาศ ณ วันที่ 1 ต.ค. 2566</p>")
    add(host, "/ita/nogift-noyear-element", "o21", {"elements", "fiscal_year"},
        "defect: a No Gift announcement of an old year, without its culture activity", "element")
    html(host, "/ita/plan-noprogress", "แผนการดำเนินงาน",
         f"<h1>แผนการดำเนินงาน {fy_phrase(FY, 0)}</h1><p>จำนวน 42 โครงการ งบประมาณ 12.5 ล้านบาท</p>")
    add(host, "/ita/plan-noprogress", "o6", {"elements"}, "defect: the plan without its progress", "element")
    # a data page whose evidence is on Google Drive
    html(host, "/ita/plan-drive", "แผนการดำเนินงาน", good_th("o6", 0, host)[1]
         + '<p><a href="https://drive.google.com/file/d/9aBc/view">ดาวน์โหลดแผน</a></p>')
    add(host, "/ita/plan-drive", "o6", {"off_domain_links"}, "defect: the documents are on Google Drive",
        "drive_links")
    # a data page whose linked PDF (same site) is of a wrong year
    pages[(host, "/files/old/o25.pdf")] = Page(200, make_pdf([pdf_lines("o25", 0, FY - 2)]), "application/pdf")
    html(host, "/ita/o25-data-old", "แผนปฏิบัติการป้องกันการทุจริต",
         '<h1>แผนปฏิบัติการป้องกันการทุจริต</h1><p><a href="/files/old/o25.pdf">ดาวน์โหลดแผน (PDF)</a></p>')
    add(host, "/ita/o25-data-old", "o25", {"fiscal_year"}, "defect: a data page whose PDF is of a wrong year",
        "data_page_old")
    executives_2570(cases, pages, html)
    # serve outside widgets and images so that nothing 404s by accident
    pages[("counter.statwidget.net", "/c.js")] = Page(200, b"document.write('1234')", "application/javascript")
    return cases, pages


def png() -> bytes:
    return PNG


# --- executives' pages against the provisional 2570 framework (its o2 finds the photo with person_photo) ---

FY_2570 = 2570
_EXECS_TH = [("นายสมศักดิ์ ใจงาม", "นายกองค์การบริหารส่วนตำบล", "08-1234-5678"),
             ("นายประยูร ศรีสุข", "รองนายกองค์การบริหารส่วนตำบล", "08-2345-6789"),
             ("นางวันดี มีสุข", "ปลัดองค์การบริหารส่วนตำบล", "08-3456-7890")]
_EXECS_CITY = [("นายชัยวัฒน์ รุ่งเรือง", "นายกเทศมนตรีตำบลหนองบัวทอง", "09-1111-2222"),
               ("ว่าที่ร้อยตรีสมพงษ์ แก้วใส", "รองนายกเทศมนตรี", "09-3333-4444"),
               ("จ่าสิบเอกวิชัย มั่นคง", "รองนายกเทศมนตรี", "09-5555-6666"),
               ("นางสาวพิมพ์ใจ บุญมา", "ปลัดเทศบาล", "042-810-222 ต่อ 11")]
_EXECS_HOSPITAL = [("นายแพทย์ประเสริฐ ดีงาม", "ผู้อำนวยการโรงพยาบาลภูเรือวัฒนา", "042-801-555 ต่อ 101"),
                   ("แพทย์หญิงอรุณี ศรีสว่าง", "รองผู้อำนวยการฝ่ายการแพทย์", "042-801-555 ต่อ 102"),
                   ("นางกัลยา ทองดี", "รองผู้อำนวยการฝ่ายบริหาร", "042-801-555 ต่อ 103")]
_EXECS_EN = [("Assoc. Prof. Somchai Dee", "President", "+66 42 835 001"),
             ("Dr. Wanida Sook", "Vice President for Academic Affairs", "+66 42 835 002"),
             ("Mr. Anan Srisuk", "Director of the Office of the President", "+66 42 835 003")]


def executives_good() -> list[tuple[str, str, str, str, str]]:
    """Good executives' pages in the shapes agencies publish: (host, path, title, content, label)."""
    b, n, h, e = "www.bankhok.go.th", "www.nongbua-city.go.th", "phuruea-hospital.go.th", "www.lrtu.ac.th"
    cards = "".join(f'<div class="col-md-4 person"><img src="/images/exec/{i}.jpg" alt="{nm}"><h4>{nm}</h4>'
                    f"<p>{pos}</p><p>โทร {tel}</p></div>" for i, (nm, pos, tel) in enumerate(_EXECS_TH))
    alt_only = "".join(f'<div class="person"><img src="/img/exec{i}.jpg" alt="{nm}"><br>{pos}<br>'
                       f'<a href="tel:{tel}">{tel}</a></div>' for i, (nm, pos, tel) in enumerate(_EXECS_CITY))
    rows = "".join(f"<tr><td><img src='/images/board/{i}.jpg' width='120'></td><td>{nm}<br>{pos}<br>โทร {tel}</td>"
                   "</tr>" for i, (nm, pos, tel) in enumerate(_EXECS_HOSPITAL))
    headed = ("<table border='1'><tr><th>รูปถ่าย</th><th>ชื่อ-สกุล</th><th>ตำแหน่ง</th><th>เบอร์โทรศัพท์</th></tr>"
              + "".join(f"<tr><td><img src='/images/x/{i}.jpg'></td><td>{nm}</td><td>{pos}</td><td>{tel}</td></tr>"
                        for i, (nm, pos, tel) in enumerate(_EXECS_TH)) + "</table>")
    chart = ('<h1>แผนผังคณะผู้บริหาร</h1><img src="/img/exec-chart.jpg" alt="แผนผังคณะผู้บริหารเทศบาล">'
             "<p>" + " | ".join(f"{nm} {pos} โทร {tel}" for nm, pos, tel in _EXECS_CITY) + "</p>")
    native_lazy = "".join(f'<div class="card"><img loading="lazy" src="/images/t/{i}.webp" width="240" height="300">'
                          f'<div class="card-body"><h5>{nm}</h5><p>{pos}</p><p>{tel}</p></div></div>'
                          for i, (nm, pos, tel) in enumerate(_EXECS_HOSPITAL))
    lazy = "".join(f'<div class="elementor-widget"><img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E" '
                   f'data-src="/wp-content/uploads/2026/10/exec{i}.jpg" class="lazyload" alt="{nm}">'
                   f"<p>{nm}</p><p>{pos}</p><p>โทร {tel}</p></div>" for i, (nm, pos, tel) in enumerate(_EXECS_CITY))
    lazy_noscript = "".join(
        f'<div class="exec"><img data-src="/images/lazy/{i}.jpg" class="lazy" alt="">'
        f'<noscript><img src="/images/lazy/{i}.jpg" alt="{nm}"></noscript><p>{nm}</p><p>{pos}</p><p>โทร {tel}</p>'
        "</div>" for i, (nm, pos, tel) in enumerate(_EXECS_TH))
    figures = "".join(f'<figure class="wp-block-image"><img src="/images/fig/{i}.jpg" alt="">'
                      f"<figcaption>{nm}<br>{pos}<br>อีเมล exec{i}@example.go.th</figcaption></figure>"
                      for i, (nm, pos, _tel) in enumerate(_EXECS_HOSPITAL))
    en_cards = "".join(f'<div class="profile"><img src="/img/people/{i}.jpg" alt="Portrait of {nm}"><h3>{nm}</h3>'
                       f"<p>{pos}</p><p>Tel. {tel}</p></div>" for i, (nm, pos, tel) in enumerate(_EXECS_EN))
    en_table = ("<table><tr><th>Photo</th><th>Name</th><th>Position</th><th>Contact</th></tr>" + "".join(
        f'<tr><td><img src="/img/t/{i}.png"></td><td>{nm}</td><td>{pos}</td><td>{tel}</td></tr>'
        for i, (nm, pos, tel) in enumerate(_EXECS_EN)) + "</table>")
    vacant = ("".join(f'<div class="person"><img src="/img/v{i}.jpg" alt="{nm}"><p>{nm}</p><p>{pos}</p><p>โทร {tel}</p>'
                      "</div>" for i, (nm, pos, tel) in enumerate(_EXECS_CITY[:2]))
              + '<div class="person"><img src="/img/vacant.png" alt="ตำแหน่งว่าง"><p>ตำแหน่งว่าง</p>'
              "<p>รองนายกเทศมนตรี</p></div>")
    thai_digits = "".join(f'<div><img src="/images/td/{i}.jpg" alt="{nm}"><p>{nm}</p><p>{pos}</p>'
                          f"<p>โทร {tel.translate(THAI_DIGITS)}</p></div>" for i, (nm, pos, tel) in enumerate(_EXECS_TH))
    tiers = ("<h2>ผู้บริหารสูงสุด</h2>" + f'<img src="/images/tier/0.jpg"><h4>{_EXECS_HOSPITAL[0][0]}</h4>'
             f"<p>{_EXECS_HOSPITAL[0][1]}</p><p>โทรศัพท์ {_EXECS_HOSPITAL[0][2]}</p><h2>รองผู้บริหาร</h2>" + "".join(
                 f'<img src="/images/tier/{i}.jpg"><h4>{nm}</h4><p>{pos}</p><p>โทรศัพท์ {tel}</p>'
                 for i, (nm, pos, tel) in enumerate(_EXECS_HOSPITAL[1:], 1)))
    return [
        (b, "/ita2570/o2/cards", "ทำเนียบผู้บริหาร", f"<h1>ทำเนียบผู้บริหาร</h1>{cards}",
         "cards: photo, name, position and phone"),
        (n, "/ita2570/o2/alt-only", "คณะผู้บริหาร", f"<h1>คณะผู้บริหาร</h1>{alt_only}",
         "the name only in the photo's alt text, the position and a tel: link under it"),
        (h, "/ita2570/o2/table", "ผู้บริหาร", f"<h1>ผู้บริหารโรงพยาบาล</h1><table>{rows}</table>",
         "a table row per person, the photo in one cell and the name in the next"),
        (b, "/ita2570/o2/table-headed", "ข้อมูลผู้บริหาร", f"<h1>ข้อมูลผู้บริหาร</h1>{headed}",
         "a table with a header row (รูปถ่าย, ชื่อ-สกุล, ตำแหน่ง, เบอร์โทรศัพท์)"),
        (n, "/ita2570/o2/chart", "ผังผู้บริหาร", chart, "one org-chart image with the names as captions under it"),
        (h, "/ita2570/o2/native-lazy", "ทีมผู้บริหาร", f"<h1>ทีมผู้บริหาร</h1>{native_lazy}",
         "images with loading=lazy (src kept), no alt text"),
        (n, "/ita2570/o2/lazy-data-src", "ผู้บริหาร", f"<h1>ผู้บริหารเทศบาล</h1>{lazy}",
         "lazy-loaded images: a data: placeholder in src, the photo in data-src"),
        (b, "/ita2570/o2/lazy-noscript", "ผู้บริหาร", f"<h1>คณะผู้บริหาร</h1>{lazy_noscript}",
         "lazy-loaded images: data-src only, the photo again in <noscript>"),
        (h, "/ita2570/o2/figure", "ผู้บริหาร", f"<h1>ผู้บริหาร</h1>{figures}",
         "<figure> with the name, position and e-mail in <figcaption>"),
        (e, "/en/ita2570/o2/cards", "Executives", f"<h1>University Executives</h1>{en_cards}",
         "English cards (Assoc. Prof., Dr., Mr.) with Tel."),
        (e, "/en/ita2570/o2/table", "Executives", f"<h1>Executive Board</h1>{en_table}", "English table with photos"),
        (n, "/ita2570/o2/vacant", "คณะผู้บริหาร", f"<h1>คณะผู้บริหาร</h1>{vacant}",
         "a vacant post labelled ตำแหน่งว่าง beside the holders"),
        (b, "/ita2570/o2/thai-digits", "คณะผู้บริหาร", f"<h1>คณะผู้บริหาร</h1>{thai_digits}",
         "phones in Thai digits"),
        (h, "/ita2570/o2/tiers", "โครงสร้างผู้บริหาร", f"<h1>ผู้บริหาร</h1>{tiers}",
         "top executive and deputies under headings, photos without alt text"),
    ]


def executives_defective() -> list[tuple[str, str, str, str, frozenset[str], str]]:
    """Defective executives' pages: (host, path, title, content, expected codes, label)."""
    b, n, h, e = "www.bankhok.go.th", "www.nongbua-city.go.th", "phuruea-hospital.go.th", "www.lrtu.ac.th"
    elements, empty = frozenset({"elements"}), frozenset({"empty"})
    no_photo = "<ul>" + "".join(f"<li>{nm} {pos} โทร {tel}</li>" for nm, pos, tel in _EXECS_CITY) + "</ul>"
    no_name = "".join(f'<div class="person"><img src="/images/np/{i}.jpg" alt="รูปภาพ"><p>{pos}</p><p>โทร {tel}</p></div>'
                      for i, (_nm, pos, tel) in enumerate(_EXECS_HOSPITAL))
    logo = ('<img src="/img/logo-nongbua.png" alt="ตราสัญลักษณ์เทศบาลตำบลหนองบัวทอง"><h1>คณะผู้บริหาร</h1><table>' + "".join(
        f"<tr><td>{nm}</td><td>{pos}</td><td>{tel}</td></tr>" for nm, pos, tel in _EXECS_CITY) + "</table>")
    word_only = ("<table border='1'><tr><th>รูปถ่าย</th><th>ชื่อ-สกุล</th><th>ตำแหน่ง</th><th>โทรศัพท์</th></tr>"
                 + "".join(f"<tr><td></td><td>{nm}</td><td>{pos}</td><td>{tel}</td></tr>" for nm, pos, tel in _EXECS_TH)
                 + "</table>")
    en_no_photo = "<ul>" + "".join(f"<li>{nm}, {pos}, Tel. {tel}</li>" for nm, pos, tel in _EXECS_EN) + "</ul>"
    no_contact = "".join(f'<div><img src="/images/nc/{i}.jpg" alt="{nm}"><p>{nm}</p><p>{pos}</p></div>'
                         for i, (nm, pos, _tel) in enumerate(_EXECS_HOSPITAL))
    return [
        (n, "/ita2570/o2/no-photo", "คณะผู้บริหาร", f"<h1>คณะผู้บริหาร</h1>{no_photo}", elements,
         "names, positions and phones without photos"),
        (h, "/ita2570/o2/no-name", "ผู้บริหาร", f"<h1>ผู้บริหาร</h1>{no_name}", elements,
         "photos with positions and phones but no names"),
        (n, "/ita2570/o2/logo-only", "คณะผู้บริหาร", logo, elements,
         "only the agency's logo beside a table of names"),
        (b, "/ita2570/o2/word-only", "ข้อมูลผู้บริหาร", f"<h1>ข้อมูลผู้บริหาร</h1>{word_only}", elements,
         "a รูปถ่าย column with no image in it"),
        (e, "/en/ita2570/o2/no-photo", "Executives", f"<h1>Executives</h1>{en_no_photo}", elements,
         "English: names without photos"),
        (h, "/ita2570/o2/no-contact", "ผู้บริหาร", f"<h1>ผู้บริหาร</h1>{no_contact}", elements,
         "photos, names and positions without any contact channel"),
        (b, "/ita2570/o2/wait", "ผู้บริหาร", "<h1>ข้อมูลผู้บริหาร</h1><p>อยู่ระหว่างปรับปรุง</p>", empty,
         "placeholder อยู่ระหว่างปรับปรุง"),
        (n, "/ita2570/o2/wait-logo", "ผู้บริหาร",
         '<h1>คณะผู้บริหาร</h1><img src="/img/logo.png" alt="โลโก้เทศบาล"><p>อยู่ระหว่างปรับปรุงข้อมูล</p>', empty,
         "placeholder อยู่ระหว่างปรับปรุงข้อมูล with the logo"),
    ]


def executives_2570(cases: list[Case], pages: dict, html) -> None:
    """Adds the executives' cases (item o2 of nacc-ita-2570, a FY2570 round) to the set."""
    for host, path, title, content, label in executives_good():
        html(host, path, title, content)
        cases.append(Case(f"{len(cases) + 1:03d}-o2-2570-{path.rsplit('/', 1)[-1]}", host, path, "o2", frozenset(),
                          f"good o2 (2570): {label}", ("good", "executives"), "nacc-ita-2570", FY_2570))
    for host, path, title, content, expect, label in executives_defective():
        html(host, path, title, content)
        cases.append(Case(f"{len(cases) + 1:03d}-o2-2570-{path.rsplit('/', 1)[-1]}", host, path, "o2", expect,
                          f"defect o2 (2570): {label}", ("executives",), "nacc-ita-2570", FY_2570))
