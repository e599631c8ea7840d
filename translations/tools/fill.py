#!/usr/bin/env python3
"""Writes the translations of zh_CN.py into switchyard_zh_CN.ts and lists what is missing.

Run after `cmake --build build --target update_translations` has added new source strings.
Exits 1 when a source string has no translation, so nothing ships half-translated."""
import os
import sys
import xml.etree.ElementTree as ET

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from zh_CN import ZH  # noqa: E402

ts_path = os.path.join(here, '..', 'switchyard_zh_CN.ts')
tree = ET.parse(ts_path)
missing = []
for ctx in tree.getroot().findall('context'):
    name = ctx.find('name').text
    for msg in ctx.findall('message'):
        source = msg.find('source').text
        tr = msg.find('translation')
        text = ZH.get((name, source))
        if text is None:
            missing.append(f'{name}: {source!r}')
            continue
        for child in list(tr):
            tr.remove(child)
        tr.attrib.pop('type', None)
        if msg.get('numerus') == 'yes':
            tr.text = None
            form = ET.SubElement(tr, 'numerusform')
            form.text = text
        else:
            tr.text = text
ET.indent(tree, space='    ')
with open(ts_path, 'wb') as f:
    f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
    tree.write(f, encoding='utf-8', xml_declaration=False)
    f.write(b'\n')
for m in missing:
    print('missing:', m)
sys.exit(1 if missing else 0)
