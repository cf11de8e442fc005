#!/usr/bin/env python3
"""The funder reports' main aggregate, over the same rows, in DuckDB (BENCHMARKS.md).

Dumps the report columns of a Safe Harbor database (clients' report dimensions; services' client,
day and code: nothing sealed) to Parquet, then times in DuckDB the query the OVC and VOCA reports
run (crates/store/src/tx/reports.rs, `served`): everyone served in the period, their dimensions,
the types of service they received as a bit mask, their first service ever and first in the
fiscal year, alike people as one row with how many. Prints one JSON object: the dump's time, each
run's time, the number of rows and of people (the last must equal the report's people served).

  bench/duckdb-served.py --sqlite DATA_DIR/records.sqlite --from D --to D --year-from D [--runs 3]
  bench/duckdb-served.py --postgres URL --from D --to D --year-from D [--runs 3]

Needs the duckdb package (bench/requirements.txt); psql for --postgres.
"""
import argparse
import csv
import json
import pathlib
import sqlite3
import subprocess
import tempfile
import time

import duckdb

CLIENTS = ("SELECT id, gender, age_band, age_at_intake, trafficking_type, citizenship, "
           "referral_source FROM clients")
SERVICES = "SELECT client_id, delivered_on, code FROM services"

SERVED = """
WITH bits AS (
  SELECT code, CAST(1 AS BIGINT) << CAST(row_number() OVER (ORDER BY code) - 1 AS INTEGER) AS bit
  FROM (SELECT DISTINCT code FROM services)),
per_client AS (
  SELECT s.client_id, CAST(SUM(DISTINCT b.bit) AS BIGINT) AS mask
  FROM services s JOIN bits b ON b.code = s.code
  WHERE s.delivered_on >= $from AND s.delivered_on <= $to
  GROUP BY s.client_id),
firsts AS (
  SELECT client_id, MIN(delivered_on) AS first_service,
    MIN(CASE WHEN delivered_on >= $year_from THEN delivered_on END) AS first_in_year
  FROM services GROUP BY client_id),
facts AS (
  SELECT c.gender, c.age_band, c.age_at_intake, c.trafficking_type, c.citizenship,
    c.referral_source, p.mask, f.first_service, f.first_in_year
  FROM per_client p JOIN clients c ON c.id = p.client_id JOIN firsts f ON f.client_id = p.client_id)
SELECT gender, age_band, age_at_intake, trafficking_type, citizenship, referral_source, mask,
  first_service, first_in_year, COUNT(*) AS people
FROM facts
GROUP BY ALL
"""


def dump_sqlite(path, query, out):
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db, open(out, "w", newline="") as f:
        cursor = db.execute(query)
        writer = csv.writer(f)
        writer.writerow([d[0] for d in cursor.description])
        while rows := cursor.fetchmany(50_000):
            writer.writerows(rows)


def dump_postgres(url, query, out):
    subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c",
                    f"\\copy ({query}) TO '{out}' WITH (FORMAT csv, HEADER)"], check=True)


def main():
    parser = argparse.ArgumentParser()
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--sqlite")
    source.add_argument("--postgres")
    parser.add_argument("--from", dest="start", required=True)
    parser.add_argument("--to", required=True)
    parser.add_argument("--year-from", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="safeharbor-duckdb-") as work:
        work = pathlib.Path(work)
        started = time.monotonic()
        db = duckdb.connect()
        for name, query in (("clients", CLIENTS), ("services", SERVICES)):
            csv_path = work / f"{name}.csv"
            if args.sqlite:
                dump_sqlite(args.sqlite, query, csv_path)
            else:
                dump_postgres(args.postgres, query, csv_path)
            parquet = work / f"{name}.parquet"
            db.execute(f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true)) "
                       f"TO '{parquet}' (FORMAT parquet)")
            db.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{parquet}')")
        dumped = time.monotonic() - started

        params = {"from": args.start, "to": args.to, "year_from": args.year_from}
        runs, rows, people = [], None, None
        for _ in range(args.runs):
            started = time.monotonic()
            result = db.execute(SERVED, params).fetchall()
            runs.append(round(time.monotonic() - started, 3))
            rows, people = len(result), sum(r[-1] for r in result)
        print(json.dumps({"dump_s": round(dumped, 1), "runs_s": runs, "rows": rows,
                          "people": people, "duckdb": duckdb.__version__}))


if __name__ == "__main__":
    main()
