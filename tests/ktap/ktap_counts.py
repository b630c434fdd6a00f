#!/usr/bin/env python3
# What the kernel's own KTAP reader (kunit_parser.py, copied here from
# Linux 6.1's tools/testing/kunit/ with kunit_printer.py, GPL-2.0 as their
# headers say) makes of a KTAP file: its counts and the run's status, one
# "name value" a line, for tests/t_ktap.sh to compare with results.xml.
#   usage: ktap_counts.py FILE
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kunit_printer  # noqa: E402

# kunit_parser prints as it reads, to kunit_printer.stdout: keep it quiet
kunit_printer.stdout = kunit_printer.Printer(io.StringIO())
import kunit_parser  # noqa: E402

with open(sys.argv[1], encoding='utf-8') as f:
    test = kunit_parser.parse_run_tests(f.read().splitlines())
c = test.counts
print(f'passed {c.passed}\nfailed {c.failed}\nskipped {c.skipped}\n'
      f'crashed {c.crashed}\nerrors {c.errors}\nstatus {test.status.name}')
print(f'subtests {len(test.subtests)}')
for sub in test.subtests:
    for case in sub.subtests:
        print(f'name {sub.name} {case.name}')
