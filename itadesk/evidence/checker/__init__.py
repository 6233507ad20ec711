"""The OIT evidence checker: fetch an evidence URL safely and explain, in Thai, what an assessor
would object to. Pure Python (asyncio + aiohttp, poppler's pdftotext); no Django."""
