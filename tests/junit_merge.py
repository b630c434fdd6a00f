#!/usr/bin/env python3
# Merges junit.xml files as junit-report-merger does (every <testsuite>
# under one <testsuites>) into OUT, and fails when two suites share a name
# or two test cases a (classname, name) pair: the files of several platforms
# must merge without colliding.
#   usage: junit_merge.py OUT JUNIT_XML...
import collections
import sys
import xml.etree.ElementTree as ET

out, inputs = sys.argv[1], sys.argv[2:]
merged = ET.Element('testsuites', name='merged')
for path in inputs:
    merged.extend(ET.parse(path).getroot().iter('testsuite'))
suites = collections.Counter(s.get('name') for s in merged)
cases = collections.Counter((c.get('classname'), c.get('name')) for c in merged.iter('testcase'))
ET.ElementTree(merged).write(out, encoding='utf-8', xml_declaration=True)
bad = [f'suite {n!r} x{k}' for n, k in suites.items() if k > 1] + \
      [f'case {p!r} x{k}' for p, k in cases.items() if k > 1]
if bad:
    sys.exit('collisions: ' + '; '.join(bad[:5]))
print(f'{len(inputs)} files, {len(suites)} suites, {len(cases)} cases, no collision')
