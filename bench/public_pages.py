"""Requests per second of the public answers page (/answers/) served by gunicorn.

Four measurements on one gunicorn server in one run, with one load generator:

1. minimal: a Django view returning as many bytes as /answers/ (bench/urls.py), through
   the same middleware; the reference;
2. answers_cached: /answers/ for anonymous readers, page cache warm;
3. answers_uncached: /answers/?page=1&n=<unique>: every URL is new, so every request
   misses the cache and renders the same page;
4. frame_uncached (diagnostic, no target): /answers/ filtered on a unit that answers
   nothing, with unique URLs: the page's frame (layout, filter form) with no row,
   rendered afresh; the uncached ratio cannot be better than this one.

Targets, with 1,000 published answers: cached >= 0.5 of the minimal view's requests
per second (ratio); uncached >= 0.10 of the minimal view by CPU per request (cpu_ratio),
not 0.25: rendered afresh, the page's frame alone (frame_uncached) reaches about 0.12 and
rows cost almost nothing more (DESIGN.md, "Decisions"). A missed target is printed as
MISSED; the exit code is 0 all the same (timings never decide anything), and non-zero
only when the benchmark could not run (no PostgreSQL, gunicorn did not start, ...). Next
to each ratio of requests per second, cpu_ratio is the same ratio from the gunicorn
workers' CPU time per request, which other processes on the machine disturb less. A
check line confirms that every uncached request was really rendered (see the comment in
run()).

Run from the project root (what `make bench` does):

    DATABASE_URL=postgres://postgres@localhost:5432/giaoban \\
    REDIS_URL=redis://localhost:6379/1 .venv/bin/python bench/public_pages.py

It works on its own database (giaoban_bench_public, created and dropped) and Redis
database (11, flushed before and after), and talks to 127.0.0.1 only. BENCH_SECONDS changes the
measured duration of each figure (default 5), BENCH_WORKER_CLASS gunicorn's worker
class (default gthread; sync is what the README runs in production).
"""

import http.client
import multiprocessing
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent

ANSWERS = 1000
DUPLICATES = 150  # recommendations merged into answered ones: several senders per row
BENCH_DATABASE = "giaoban_bench_public"
BENCH_REDIS_DB = 11
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}

# Server: the same for the three figures. gthread keeps connections alive; sync (what
# the README runs in production, behind nginx) closes the connection after every response.
SERVER_WORKERS = 2
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS") or "gthread"
SERVER_THREADS = 4
# Load: CLIENT_PROCESSES x CLIENT_THREADS HTTP/1.1 connections (kept alive when the server
# allows it), the same for all.
CLIENT_PROCESSES = 2
CLIENT_THREADS = 4
WARM_UP = 1.0
SECONDS = float(os.environ.get("BENCH_SECONDS") or 5)
# Each figure is measured ROUNDS times, in the order A B C C B A, so that a change of
# the machine's load during the run (other processes) weighs on the three alike.
ROUNDS = 2

# name: (the ratio the target is on, its threshold). ratio: requests per second against
# the minimal view's; cpu_ratio: gunicorn's CPU time per request, the minimal view's
# against the page's (DESIGN.md, "Decisions": the uncached page by CPU, at 0.10).
TARGETS = {"answers_cached": ("ratio", 0.5), "answers_uncached": ("cpu_ratio", 0.10)}


def say(text: str = "") -> None:
    print(text, flush=True)


# --- environment, database, Redis -------------------------------------------------


def _local(url: str, name: str) -> None:
    host = urlsplit(url).hostname
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"{name} must point to this machine (127.0.0.1); got host {host!r}.")


def environment(media: str) -> dict:
    """The environment of the benchmark (this process, manage.py and gunicorn)."""
    database = os.environ.get("DATABASE_URL") or "postgres://postgres@localhost:5432/giaoban"
    redis_url = os.environ.get("REDIS_URL") or "redis://localhost:6379/1"
    _local(database, "DATABASE_URL")
    _local(redis_url, "REDIS_URL")
    if urlsplit(database).scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("DATABASE_URL must be a PostgreSQL URL.")
    database = urlunsplit(urlsplit(database)._replace(path=f"/{BENCH_DATABASE}"))
    redis_url = urlunsplit(urlsplit(redis_url)._replace(path=f"/{BENCH_REDIS_DB}"))
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        # Production settings, as the README's Production section runs them, except
        # the TLS redirect: the benchmark speaks plain HTTP to 127.0.0.1.
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_URL": "locmem://",
        "MEDIA_ROOT": media,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def _admin_connection(database_url: str):
    import psycopg2

    parts = urlsplit(database_url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password or None,
        host=parts.hostname,
        port=parts.port or 5432,
        connect_timeout=5,
    )
    connection.autocommit = True
    return connection


def drop_database(database_url: str, name: str = BENCH_DATABASE) -> None:
    from psycopg2 import sql

    connection = _admin_connection(database_url)
    try:
        with connection.cursor() as cursor:
            force = sql.SQL(" WITH (FORCE)" if connection.server_version >= 130000 else "")
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)) + force
            )
    finally:
        connection.close()


def create_database(database_url: str, name: str = BENCH_DATABASE) -> None:
    from psycopg2 import sql

    drop_database(database_url, name)
    connection = _admin_connection(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                    sql.Identifier(name)
                )
            )
    finally:
        connection.close()


def redis_client(redis_url: str):
    import redis

    return redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=2)


def cached_pages(redis_url: str) -> int:
    """How many whole pages the public page cache holds (briefing/platform/public_cache.py)."""
    client = redis_client(redis_url)
    return sum(1 for _key in client.scan_iter(match="*public:page:*", count=1000))


def manage(env: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=900,  # collectstatic takes minutes on a busy machine
        check=False,
    )
    if result.returncode:
        say(result.stdout[-3000:] + result.stderr[-3000:])
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode}).")


# --- data -------------------------------------------------------------------------

TOPICS = [
    "kết nối nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP) với nền tảng quốc gia",
    "cấp phép thiết lập mạng viễn thông dùng riêng cho cơ quan nhà nước",
    "quản lý điểm truy nhập Internet công cộng và đại lý trò chơi điện tử",
    "xây dựng chính quyền số cấp huyện, cấp xã",
    "cấp giấy phép sử dụng tần số cho đài truyền thanh cấp xã",
    "chuyển đổi đài truyền thanh hữu tuyến sang ứng dụng công nghệ thông tin - viễn thông",
    "bảo đảm an toàn hệ thống thông tin theo cấp độ",
    "quản lý trang thông tin điện tử tổng hợp và mạng xã hội",
    "cấp giấy phép xuất bản bản tin của các cơ quan, tổ chức",
    "duy trì mạng bưu chính công cộng tại vùng sâu, vùng xa",
    "hỗ trợ kinh phí hoạt động cho điểm bưu điện - văn hóa xã",
    "quy hoạch hạ tầng kỹ thuật viễn thông thụ động",
    "cải tạo, chỉnh trang và ngầm hóa mạng cáp treo",
    "cung cấp dịch vụ công trực tuyến toàn trình",
    "đào tạo, bồi dưỡng nhân lực chuyển đổi số cho cán bộ cấp xã",
    "đánh giá chỉ số chuyển đổi số cấp tỉnh (DTI)",
    "xử lý tin nhắn rác, cuộc gọi rác và thuê bao di động sai thông tin",
    "thông tin đối ngoại tại khu vực biên giới",
    "định mức kinh tế - kỹ thuật sản xuất chương trình phát thanh, truyền hình",
    "phủ sóng di động 4G tại các thôn, bản chưa có sóng",
    "thuê dịch vụ công nghệ thông tin theo Nghị định số 73/2019/NĐ-CP",
    "triển khai Trung tâm giám sát, điều hành an toàn, an ninh mạng (SOC)",
    "tổ chức tổ công nghệ số cộng đồng ở thôn, tổ dân phố",
    "quản lý hoạt động in và phát hành xuất bản phẩm",
]
ASKS = [
    "Đề nghị Bộ hướng dẫn việc",
    "Kiến nghị Bộ sớm ban hành quy định về",
    "Đề nghị Bộ hỗ trợ địa phương trong",
    "Đề nghị Bộ làm rõ thủ tục",
    "Kiến nghị sửa đổi quy định về",
    "Đề nghị Bộ có ý kiến với các bộ, ngành liên quan về",
]
CONTEXTS = [
    "Thời gian qua, Sở đã tham mưu Ủy ban nhân dân tỉnh triển khai {topic} nhưng còn "
    "gặp nhiều vướng mắc.",
    "Hiện nay các văn bản hướng dẫn về {topic} chưa thống nhất giữa các cơ quan.",
    "Việc thực hiện {topic} tại các huyện miền núi còn khó khăn do thiếu kinh phí và "
    "nhân lực chuyên trách.",
    "Qua kiểm tra, nhiều doanh nghiệp và cơ quan trên địa bàn chưa nắm rõ quy định về {topic}.",
    "Ngân sách địa phương còn hạn hẹp, chưa bố trí đủ kinh phí cho {topic}.",
]
REQUESTS = [
    "Đề nghị Bộ hướng dẫn cụ thể để địa phương có cơ sở triển khai.",
    "Kính đề nghị Bộ xem xét, sửa đổi cho phù hợp với thực tế.",
    "Đề nghị Bộ cung cấp mẫu văn bản và quy trình thống nhất trên toàn quốc.",
    "Đề nghị Bộ tổ chức tập huấn cho cán bộ của Sở và các huyện.",
]
ANSWER_SENTENCES = [
    "Ngày {date}, Bộ Thông tin và Truyền thông đã ban hành văn bản số {doc} hướng dẫn "
    "{topic}, đăng trên Cổng thông tin điện tử của Bộ.",
    "Đề nghị Sở nghiên cứu, tham mưu Ủy ban nhân dân tỉnh triển khai theo hướng dẫn nêu "
    "trên; trong quá trình thực hiện nếu có vướng mắc, đề nghị liên hệ {unit} để được hỗ trợ.",
    "Bộ đang hoàn thiện dự thảo Thông tư sửa đổi, bổ sung các quy định liên quan, dự kiến "
    "ban hành trong quý {quarter}/{year}.",
    "Theo quy định hiện hành, Ủy ban nhân dân cấp tỉnh có trách nhiệm bố trí kinh phí từ "
    "ngân sách địa phương để thực hiện nhiệm vụ này.",
    "Bộ ghi nhận kiến nghị của Sở và sẽ tổng hợp, đưa vào chương trình xây dựng văn bản "
    "quy phạm pháp luật năm {year}.",
    "Các địa phương có thể tham khảo mô hình đã triển khai hiệu quả tại Hà Nội, Đà Nẵng "
    "và Thành phố Hồ Chí Minh.",
    "Việc phân cấp, phân quyền cho địa phương đã được quy định rõ tại Nghị định số "
    "{decree}, Sở căn cứ các quy định này để thực hiện.",
    "Trong năm {year}, {unit} sẽ tổ chức các lớp tập huấn trực tuyến cho cán bộ các Sở "
    "Thông tin và Truyền thông; thông tin chi tiết được gửi tới Sở qua hệ thống quản lý "
    "văn bản.",
]


def _answer_text(rng, topic, unit, year):
    sentences = [f"Về nội dung này, {unit} trả lời như sau:"]
    for template in rng.sample(ANSWER_SENTENCES, rng.randint(3, 6)):
        sentences.append(
            template.format(
                date=f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
                doc=f"{rng.randint(100, 4999)}/BTTTT-{rng.choice(['THH', 'CVT', 'CBĐ'])}",
                decree=f"{rng.randint(10, 150)}/{year - 1}/NĐ-CP",
                topic=topic,
                unit=unit,
                quarter=rng.randint(1, 4),
                year=year + 1,
            )
        )
    return " ".join(sentences)


def generate(count: int, duplicates: int) -> None:
    """`count` published answers, spread over fields, quarters, provinces and units,
    written with bulk_create (no history, no events: the public pages read neither)."""
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from briefing.models.organisations import Organisation
    from proposals.models import Answer, Channel, Field, Recommendation, SourceKind, Status
    from proposals.search import fold

    rng = random.Random(2020)
    fields = list(Field.objects.all())
    provinces = list(Organisation.objects.provinces().valid_on(datetime.date(2024, 1, 1)))
    units = list(
        Organisation.objects.ministry_units().exclude(code=Organisation.MINISTRY_OFFICE_CODE)
    )
    if not (fields and provinces and units):
        raise RuntimeError("The reference data (fields, provinces, units) is missing.")
    quarters = [(year, quarter) for year in range(2021, 2025) for quarter in range(1, 5)]
    numbers = {}
    now = timezone.now()

    def code_in(year, quarter):
        numbers[(year, quarter)] = numbers.get((year, quarter), 0) + 1
        return f"KN-{year}-Q{quarter}-{numbers[(year, quarter)]:04d}"

    recs, texts = [], []
    for index in range(count):
        year, quarter = quarters[index % len(quarters)]
        topic = rng.choice(TOPICS)
        unit = rng.choice(units)
        content = " ".join(
            [rng.choice(CONTEXTS).format(topic=topic), rng.choice(REQUESTS)]
            + ([rng.choice(REQUESTS)] if rng.random() < 0.3 else [])
        )
        submitted = timezone.make_aware(
            datetime.datetime(year, 3 * quarter - 2, 1)
            + datetime.timedelta(days=rng.randint(0, 80))
        )
        recs.append(
            Recommendation(
                code=code_in(year, quarter),
                title=f"{rng.choice(ASKS)} {topic}"[:300],
                content=content,
                field=rng.choice(fields),
                source_kind=SourceKind.PROVINCE,
                submitting_organisation=rng.choice(provinces),
                channel=Channel.BRIEFING,
                period_year=year,
                period_quarter=quarter,
                status=Status.PUBLISHED,
                responsible_unit=unit,
                deadline=(submitted + datetime.timedelta(days=30)).date(),
                submitted_at=submitted,
            )
        )
        texts.append(_answer_text(rng, topic, unit.name, year))

    with transaction.atomic():
        recs = Recommendation.objects.bulk_create(recs, batch_size=500)
        answers = []
        for rec, text in zip(recs, texts, strict=True):
            published = min(rec.submitted_at + datetime.timedelta(days=rng.randint(20, 60)), now)
            answers.append(
                Answer(
                    recommendation=rec,
                    text=text,
                    version=1,
                    drafted_at=published - datetime.timedelta(days=5),
                    approved_at=published - datetime.timedelta(days=1),
                    published_text=text,
                    published_at=published,
                    published_version=1,
                    # As services.answer_publish folds it (_public_text_of).
                    search_text=fold(" ".join([rec.code, rec.title, rec.content, text])),
                )
            )
        Answer.objects.bulk_create(answers, batch_size=500)
        merged = []
        for original in rng.sample(recs, duplicates):
            merged.append(
                Recommendation(
                    code=code_in(original.period_year, original.period_quarter),
                    title=original.title,
                    content=original.content,
                    field=original.field,
                    source_kind=SourceKind.PROVINCE,
                    submitting_organisation=rng.choice(provinces),
                    channel=Channel.BRIEFING,
                    period_year=original.period_year,
                    period_quarter=original.period_quarter,
                    status=Status.MERGED,
                    duplicate_of=original,
                    submitted_at=original.submitted_at,
                )
            )
        Recommendation.objects.bulk_create(merged, batch_size=500)
    # Planner statistics and the visibility map (which lets the list's count and sort
    # read their indexes alone), as autovacuum would leave them on a database in use.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def page_in_process() -> tuple[int, int, int]:
    """(bytes of /answers/, published answers it counts, SQL queries of one render)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from proposals.models import Answer

    client = Client(HTTP_HOST="127.0.0.1")
    response = client.get("/answers/")
    if response.status_code != 200:
        raise RuntimeError(f"/answers/ answered {response.status_code} in process.")
    total = Answer.objects.filter(published_at__isnull=False).count()
    if b"data-total=" not in response.content:
        raise RuntimeError("/answers/ is not the list of answers.")
    with CaptureQueriesContext(connection) as queries:
        client.get("/answers/", {"page": "1", "n": "queries"})
    return len(response.content), total, len(queries.captured_queries)


# --- gunicorn ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, target: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def start_gunicorn(
    env: dict, port: int, log, workers: int = SERVER_WORKERS, nice: int = 0
) -> subprocess.Popen:
    """gunicorn as the README runs it; `nice` > 0 runs it at a lower CPU priority (the
    pool of signed-in work, beside the public site's: see bench/load.py)."""
    command = (["nice", "-n", str(nice)] if nice else []) + [
        str(BIN_DIR / "gunicorn"),
        "briefing.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        WORKER_CLASS,
        "--threads",
        str(SERVER_THREADS),
        "--keep-alive",
        "5",
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} at start.")
        try:
            if get(port, "/bench/minimal/")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer within 30 seconds.")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)  # its own session: gunicorn and its workers
        server.wait(timeout=5)


def _worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
    return pids


def server_cpu(master: int) -> float:
    """CPU seconds used so far by gunicorn's workers (Linux /proc)."""
    total = 0
    for pid in _worker_pids(master) + [master]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


# --- load generator ---------------------------------------------------------------


def _noop(_value=None):
    return os.getpid()


def load(port, path, unique, begin_at, start_at, stop_at, threads, tag: str) -> dict:
    """One client process: `threads` keep-alive connections sending GET requests back to
    back from begin_at to stop_at; only responses completed in [start_at, stop_at]
    count. With `unique`, every request has a URL of its own (`tag` is unique per
    process and measurement)."""
    totals = {"counted": 0, "done": 0, "bytes": 0, "latency": 0.0, "errors": 0}
    lock = threading.Lock()

    def run(number):
        counted = done = size = errors = 0
        latency = 0.0
        connection = None
        index = 0
        while True:
            began = time.time()
            if began >= stop_at:
                break
            joiner = "&" if "?" in path else "?"
            target = f"{path}{joiner}page=1&n={tag}-{number}-{index}" if unique else path
            index += 1
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", target)
                response = connection.getresponse()
                body = response.read()
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                errors += 1
                if connection is not None:
                    connection.close()
                connection = None
                continue
            ended = time.time()
            done += 1
            if response.status != 200:
                errors += 1
            elif start_at <= ended <= stop_at:
                counted += 1
                size += len(body)
                latency += ended - began
        if connection is not None:
            connection.close()
        with lock:
            totals["counted"] += counted
            totals["done"] += done
            totals["bytes"] += size
            totals["latency"] += latency
            totals["errors"] += errors

    time.sleep(max(0.0, begin_at - time.time()))
    cpu = time.process_time()
    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    totals["cpu"] = time.process_time() - cpu
    return totals


def measure(pool, port, master, path, unique, label: int) -> dict:
    """One measurement: WARM_UP seconds, then SECONDS counted."""
    begin_at = time.time() + 0.5
    start_at = begin_at + WARM_UP
    stop_at = start_at + SECONDS
    cpu = server_cpu(master)
    futures = [
        pool.submit(
            load, port, path, unique, begin_at, start_at, stop_at, CLIENT_THREADS, f"{label}.{n}"
        )
        for n in range(CLIENT_PROCESSES)
    ]
    parts = [future.result(timeout=SECONDS + WARM_UP + 30) for future in futures]
    result = {key: sum(part[key] for part in parts) for key in parts[0]}
    result["server_cpu"] = server_cpu(master) - cpu
    result["seconds"] = SECONDS
    return result


def combine(rounds: list[dict]) -> dict:
    result = {key: sum(part[key] for part in rounds) for key in rounds[0]}
    counted, done = max(result["counted"], 1), max(result["done"], 1)
    result["rps"] = result["counted"] / result["seconds"]
    result["rounds"] = [part["counted"] / part["seconds"] for part in rounds]
    result["latency_ms"] = 1000 * result["latency"] / counted
    result["size"] = result["bytes"] // counted
    # CPU per request over everything that ran (warm-ups included).
    result["server_ms"] = 1000 * result["server_cpu"] / done
    result["client_ms"] = 1000 * result["cpu"] / done
    return result


def describe(name: str, result: dict) -> str:
    rounds = " ".join(f"{rps:.1f}" for rps in result["rounds"])
    return (
        f"{name:<17} rps={result['rps']:.1f} (rounds {rounds})  "
        f"latency={result['latency_ms']:.1f} ms  server_cpu={result['server_ms']:.2f} ms/req  "
        f"client_cpu={result['client_ms']:.2f} ms/req  bytes={result['size']:,}  "
        f"errors={result['errors']}"
    )


# --- main -------------------------------------------------------------------------


def main() -> int:
    began = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="giaoban-bench-media-") as media,
        tempfile.NamedTemporaryFile(prefix="giaoban-bench-gunicorn-", suffix=".log") as log,
    ):
        env = environment(media)
        os.environ.update(env)
        sys.path.insert(0, str(BASE_DIR))
        return run(env, log, began)


def run(env: dict, log, began: float) -> int:
    server = pool = None
    try:
        create_database(env["DATABASE_URL"])
        redis_client(env["REDIS_URL"]).flushdb()
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")  # DEBUG=0 serves the hashed names

        import django

        django.setup()
        generate(ANSWERS, DUPLICATES)
        size, total, queries = page_in_process()
        from briefing.models.organisations import Organisation

        empty_unit = Organisation.objects.get(code=Organisation.MINISTRY_OFFICE_CODE).pk
        from django.db import connections

        from proposals.views.public import PAGE_SIZE

        connections.close_all()
        say(
            f"data: {total:,} published answers ({DUPLICATES} merged duplicates), "
            f"/answers/ page 1 of {-(-total // PAGE_SIZE)}: {size:,} bytes, "
            f"{queries} SQL queries per render; set-up {time.monotonic() - began:.0f} s"
        )

        port = free_port()
        server = start_gunicorn({**env, "BENCH_BYTES": str(size)}, port, log)
        status, body = get(port, "/answers/")
        minimal_status, minimal_body = get(port, "/bench/minimal/")
        if status != 200 or minimal_status != 200:
            raise RuntimeError(f"gunicorn answered {status} and {minimal_status}.")
        if len(body) != size or len(minimal_body) != size:
            say(
                f"warning: sizes differ: /answers/ {len(body):,} bytes, minimal "
                f"{len(minimal_body):,} bytes, expected {size:,}"
            )
        say(
            f"server: gunicorn 127.0.0.1:{port}, {SERVER_WORKERS} {WORKER_CLASS} workers"
            + (f" x {SERVER_THREADS} threads" if WORKER_CLASS == "gthread" else "")
            + f"; load: {CLIENT_PROCESSES} processes x "
            f"{CLIENT_THREADS} connections; {ROUNDS} rounds of {WARM_UP:.0f} s warm-up + "
            f"{SECONDS:.0f} s per figure; {os.cpu_count()} CPUs"
        )

        pool = ProcessPoolExecutor(
            max_workers=CLIENT_PROCESSES, mp_context=multiprocessing.get_context("spawn")
        )
        list(pool.map(_noop, range(CLIENT_PROCESSES)))

        figures = {
            "minimal": ("/bench/minimal/", False),
            "answers_cached": ("/answers/", False),
            "answers_uncached": ("/answers/", True),
            # Diagnostic, no target: the same page with no row to show (the Ministry
            # Office answers nothing itself), rendered afresh: the frame alone.
            "frame_uncached": (f"/answers/?unit={empty_unit}", True),
        }
        order = list(figures)
        rounds = {name: [] for name in figures}
        stored = dict.fromkeys(figures, 0)
        for number in range(ROUNDS):
            for name in order if number % 2 == 0 else order[::-1]:
                path, unique = figures[name]
                before = cached_pages(env["REDIS_URL"])
                label = number * len(figures) + order.index(name)
                rounds[name].append(measure(pool, port, server.pid, path, unique, label))
                stored[name] += cached_pages(env["REDIS_URL"]) - before
        results = {name: combine(parts) for name, parts in rounds.items()}
        for name, result in results.items():
            say(describe(name, result))
        minimal, uncached = results["minimal"], results["answers_uncached"]

        # The uncached figure is worth something only if every request rendered the
        # page. Each request had a URL never seen before, and the page cache stores
        # every page it renders under a key of its full path: as many new cache entries
        # as uncached requests means that each one missed the cache and was rendered
        # (a hit stores nothing, as the cached runs show).
        rendered = stored["answers_uncached"] == uncached["done"]
        say(
            f"check: cached runs stored {stored['answers_cached']} pages (expected 0); "
            f"uncached runs sent {uncached['done']:,} requests and stored "
            f"{stored['answers_uncached']:,} pages: "
            + ("every uncached request was rendered" if rendered else "NOT ALL RENDERED")
        )
        say()
        # cpu_ratio: the same ratio from the server's CPU time per request, which other
        # processes of the machine disturb less than requests per second.
        for name in results:
            if name == "minimal":
                continue
            result = results[name]
            ratio = result["rps"] / minimal["rps"] if minimal["rps"] else 0.0
            cpu_ratio = minimal["server_ms"] / result["server_ms"] if result["server_ms"] else 0.0
            verdict = "(no target)"
            if name in TARGETS:
                measured, threshold = TARGETS[name]
                value = {"ratio": ratio, "cpu_ratio": cpu_ratio}[measured]
                verdict = f"(target {measured} >= {threshold}: {value:.3f})" + (
                    "" if value >= threshold else "  MISSED"
                )
            say(
                f"{name:<17} rps={result['rps']:.1f}  minimal_rps={minimal['rps']:.1f}  "
                f"ratio={ratio:.2f}  cpu_ratio={cpu_ratio:.2f}  {verdict}"
            )
        say(f"answers={total:,}  page_bytes={size:,}  total time {time.monotonic() - began:.0f} s")
        return 0
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if server is not None:
            stop_gunicorn(server)
            log.seek(0)
            errors = log.read().decode(errors="replace").strip()
            if errors:
                say("gunicorn log (last lines):\n" + "\n".join(errors.splitlines()[-20:]))
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        try:
            redis_client(env["REDIS_URL"]).flushdb()
        except Exception as exc:
            say(f"warning: could not flush Redis database {BENCH_REDIS_DB}: {exc}")
        drop_database(env["DATABASE_URL"])


if __name__ == "__main__":
    sys.exit(main())
