"""Reads a SAS transport (XPT v5) file with pandas, an independent reader, and prints it as JSON:
the variables (name, label, type, length) and the rows (text, numbers, null for a missing value)."""
import json
import math
import sys

import pandas


def text(v):
    return (v.decode("ascii") if isinstance(v, bytes) else str(v)).strip()


reader = pandas.read_sas(sys.argv[1], format="xport", encoding="utf-8", iterator=True)
fields = [{"name": text(f["name"]), "label": text(f["label"]), "type": "char" if f["ntype"] == "char" else "num",
           "length": int(f["field_length"])} for f in reader.fields]
member = text(reader.member_info["set_name"])
frame = reader.read()
reader.close()


def value(v):
    if isinstance(v, float):
        return None if math.isnan(v) else v
    return v


rows = [[value(v) for v in row] for row in frame.itertuples(index=False, name=None)]
print(json.dumps({"member": member, "fields": fields, "rows": rows}))
