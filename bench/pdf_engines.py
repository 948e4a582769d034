"""Compare the compilation's PDF writer (reportlab) with WeasyPrint printing the compilation's HTML.

Usage (the heavy round of bench/monitoring_round.py, built first):
    python -m venv /tmp/weasy && /tmp/weasy/bin/pip install weasyprint
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanzarote_bench_heavy \
        .venv/bin/python bench/pdf_engines.py --weasyprint-python /tmp/weasy/bin/python [--questions 1,10]

WeasyPrint is not a dependency of the project: it runs in a Python of its own (a child process),
on the HTML the project writes, so its time and peak memory (RSS) are its own. For each sample
(the first N questions of the round, 48 Parties each) prints reportlab's time and WeasyPrint's.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import start_django

start_django("bench.sqlite3")

from monitoring.compilation import render_html  # noqa: E402
from monitoring.compilation.render import write_compilation  # noqa: E402
from monitoring.compilation.selectors import compile_replies  # noqa: E402
from monitoring.models import MonitoringRound  # noqa: E402
from secretariat.models import User  # noqa: E402

WEASYPRINT = """
import json, sys, time
start = time.perf_counter()
import weasyprint
document = weasyprint.HTML(filename=sys.argv[1]).render()
pages = len(document.pages)
document.write_pdf(sys.argv[2])
seconds = time.perf_counter() - start
peak = next(int(line.split()[1]) / 1024 for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "pages": pages, "peak_mb": peak}))
"""


def _peak_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weasyprint-python", required=True)
    parser.add_argument("--round", type=int, default=95)
    parser.add_argument("--questions", default="1,10", help="sample sizes: the first N questions")
    args = parser.parse_args()
    round_ = MonitoringRound.objects.get(number=args.round)
    officer = User.objects.get(username="bench-officer")
    roots = list(round_.questions.filter(parent=None).order_by("order").values_list("ref", flat=True))
    for count in map(int, args.questions.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            compilation = compile_replies(round=round_, user=officer)
            chosen = set(roots[:count])
            compilation.questions[:] = [q for q in compilation.questions if q.ref in chosen]
            html = Path(folder, "sample.html")
            html.write_text(render_html(compilation))
            start = time.perf_counter()
            with Path(folder, "reportlab.pdf").open("wb") as output:
                write_compilation(compilation, "pdf", output)
            reportlab_s = time.perf_counter() - start
            result = subprocess.run(
                [args.weasyprint_python, "-c", WEASYPRINT, str(html), str(Path(folder, "weasy.pdf"))],
                capture_output=True,
                text=True,
                check=True,
            )
            weasy = json.loads(result.stdout.strip().splitlines()[-1])
            reportlab_mb = Path(folder, "reportlab.pdf").stat().st_size / 2**20
            weasy_mb = Path(folder, "weasy.pdf").stat().st_size / 2**20
            print(
                f"{count} question(s), {html.stat().st_size / 2**20:.1f} MB of HTML: "
                f"reportlab {reportlab_s:.2f} s ({reportlab_mb:.1f} MB, peak of this process "
                f"{_peak_mb():.0f} MB); WeasyPrint {weasy['seconds']:.2f} s, {weasy['pages']} pages "
                f"({weasy_mb:.1f} MB, peak {weasy['peak_mb']:.0f} MB)",
                flush=True,
            )


if __name__ == "__main__":
    sys.exit(main())
