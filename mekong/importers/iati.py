"""IATI activity XML (2.01-2.03 and the legacy 1.0x) -> a Batch of fact rows.

One pass over each activity's children. The reader is lenient: what can be read is kept,
each unreadable or odd element becomes a Deviation (activity identifier, element path,
message), and only the element concerned is dropped. 1.0x files differ from 2.0x mainly in
words instead of codes, text content instead of <narrative>, and coordinates as attributes;
every rule below accepts both, so a file that mixes them is read too.
"""
from collections import Counter

from lxml import etree

from mekong.importers import codes, safety
from mekong.importers.batch import Batch, Deviation
from mekong.importers.places import Match, Places
from mekong.importers.safety import Refused
from mekong.importers.scope import outside_mekong
from mekong.importers.values import (
    Unreadable,
    clean,
    currency_code,
    parse_amount,
    parse_date,
    parse_datetime,
    parse_percentage,
    split_problem,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NO_CURRENCY = "XXX"  # ISO 4217 "no currency": an amount whose currency the file does not give
# IATI RelatedActivityType: how another activity relates to this one
RELATION_TYPES = {"1": "parent", "2": "child", "3": "sibling", "4": "co-funded", "5": "third party"}
SCOPES = {"1": "global", "2": "regional", "3": "multi-national", "4": "national",
          "5": "sub-national: several first-level areas", "6": "sub-national: one first-level area",
          "7": "sub-national: one second-level area", "8": "single location"}


def _texts(el, default_lang: str | None) -> list[tuple[str | None, str]]:
    """[(language, text)] of an element: its <narrative>s (2.0x) or its own text (1.0x)."""
    out = []
    narratives = [n for n in el if n.tag == "narrative"]
    if narratives:
        for n in narratives:
            text = n.text if len(n) == 0 else "".join(n.itertext())
            if text and (text := text.strip()):
                lang = n.get(XML_LANG) or default_lang
                out.append((lang.lower() if lang else None, text))
    else:
        text = clean(el.text if len(el) == 0 else "".join(el.itertext()))
        if text:
            out.append(((el.get(XML_LANG) or default_lang or "").lower() or None, text))
    return out


def _in(texts, lang: str) -> str | None:
    return next((t for lg, t in texts if lg and lg.split("-")[0] == lang), None)


def _english(texts) -> str | None:
    """The English text; else, when there is no French either, the first one in any language
    (so that an activity published only in, say, Swedish still has a title to show)."""
    return _in(texts, "en") or (None if _in(texts, "fr") else (texts[0][1] if texts else None))


class IatiReader:
    """Reads the activities of one or more files into Batches (one per file).

    `seen` carries the identifiers already read in this import so that an activity given
    twice is read once (the first time) and the repeat is reported.
    """

    def __init__(self, places: Places, all_countries: bool = False):
        self.places = places
        self.all_countries = all_countries  # else only the activities that concern the Mekong region
        self.seen: set[str] = set()
        self.org_cache: dict = {}

    def read(self, root: etree._Element, file: str, document: dict) -> Batch:
        batch = Batch(document=document)
        publishers: Counter = Counter()
        self.read_into(batch, root, file, publishers)
        return self._finish(batch, root, file, publishers)

    def read_file(self, file: str, data: bytes, document: dict, chunk: int = 500) -> Batch:
        """Check and read a file's bytes activity by activity (safety.iter_activities):
        `chunk` activities are held at a time (their places looked up together), so
        memory does not grow with the file's size."""
        batch = Batch(document=document)
        publishers: Counter = Counter()
        root, held, n = None, [], 0

        def flush() -> None:
            self.places.prime_points([p for _, el in held for p in _points(el)])
            for i, el in held:
                _Activity(self, batch, file, el, i, root, root.get("version")).read(publishers)
            if held:
                safety.release(held[-1][1])
            held.clear()

        for kind, el in safety.iter_activities(file, data):
            if kind == "root":
                root = el
                _check_root(root, file)
                continue
            n += 1
            held.append((n, el))
            if len(held) >= chunk:
                flush()
        flush()
        if not n:
            raise Refused(file, "holds no <iati-activity>: nothing to import")
        return self._finish(batch, root, file, publishers)

    def _finish(self, batch: Batch, root, file: str, publishers: Counter) -> Batch:
        if not batch.rows["project"] and batch.left_out.activities:
            named = ", ".join(f"{k} {n}" for k, n in batch.left_out.recipients.most_common(8))
            raise Refused(file, f"none of its {batch.left_out.activities} activities concerns the Mekong region "
                                f"(they name as recipients: {named}); nothing to import. Import it with all "
                                "countries (--all-countries, or the box on the Data page) to keep them")
        if not batch.rows["project"] and not any("repeats an activity" in d.message for d in batch.deviations):
            raise Refused(file, "has no activity that can be read (none has an iati-identifier)")
        describe(batch, file, publishers, root.get("version"), _root_date(root))
        return batch

    def read_into(self, batch: Batch, root: etree._Element, file: str, publishers: Counter) -> int:
        """Add the activities of one <iati-activities> (or a lone <iati-activity>) to batch:
        a whole file, or one page of a fetch (mekong/importers/live.py); returns how many
        <iati-activity> it holds. `file` names it in the deviations."""
        _check_root(root, file)
        activities = [root] if root.tag == "iati-activity" else [a for a in root if a.tag == "iati-activity"]
        if not activities:
            raise Refused(file, "holds no <iati-activity>: nothing to import")
        version = root.get("version")
        self.places.prime_points(_points(root))
        for i, el in enumerate(activities, 1):
            _Activity(self, batch, file, el, i, root, version).read(publishers)
        return len(activities)

    def org(self, batch: Batch, el, default_lang, source_id: str) -> tuple[str | None, str | None]:
        """(org_id, name) of a reporting-, participating-, provider- or receiver-org element."""
        if len(el) == 1:  # the common case, one <narrative>: remembered (organisations repeat a lot)
            n = el[0]
            key = (batch.document_id, el.get("ref"), el.get("type"), n.tag, n.text, n.get(XML_LANG), default_lang)
            hit = self.org_cache.get(key)
            if hit is None or hit[0] not in batch.orgs:
                hit = self.org_cache[key] = self._org(batch, el, default_lang, source_id)
            return hit
        return self._org(batch, el, default_lang, source_id)

    def _org(self, batch: Batch, el, default_lang, source_id: str) -> tuple[str | None, str | None]:
        texts = _texts(el, default_lang)
        name = _english(texts) or _in(texts, "fr")
        org_id = batch.org(clean(el.get("ref")), name, _in(texts, "fr"), clean(el.get("type")), source_id)
        return org_id, name


def _check_root(root, file: str) -> None:
    if not isinstance(root.tag, str) or root.tag not in ("iati-activities", "iati-activity"):
        tag = root.tag if isinstance(root.tag, str) else "?"
        hint = " (an IATI organisation file, not activities)" if tag == "iati-organisations" else ""
        raise Refused(file, f"is not an IATI activity file: its root element is <{tag}>{hint}", root.sourceline)


def _points(root) -> list[tuple[float, float]]:
    """The (lat, lon) of every readable location point of a file (2.0x pos, 1.0x coordinates)."""
    out = []
    for el in root.iter("pos", "coordinates"):
        try:
            if el.tag == "pos":
                parts = (el.text or "").replace(",", " ").split()
                if len(parts) == 2:
                    out.append((float(parts[0]), float(parts[1])))
            else:
                out.append((float(el.get("latitude")), float(el.get("longitude"))))
        except (TypeError, ValueError):
            continue
    return [(lat, lon) for lat, lon in out if -90 <= lat <= 90 and -180 <= lon <= 180]


def describe(batch: Batch, file: str, publishers: Counter, version: str | None, published) -> None:
    """Title, publishers (the three that report most activities), date and note of the document."""
    names = [n for n, _ in publishers.most_common()]
    batch.document.update(
        title=f"IATI activities: {file}",
        publisher="; ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        if names else None,
        published=published,
        note=f"IATI {version or 'version not stated'}; {len(batch.rows['project'])} activities"
             + (f"; {batch.left_out.activities} outside the Mekong region left out" if batch.left_out.activities else ""),
    )


def identifier(el) -> str | None:
    """The iati-identifier of an <iati-activity> element, as the reader takes it."""
    ident = next((c for c in el if c.tag == "iati-identifier"), None)
    return (clean("".join(ident.itertext())) or None) if ident is not None else None


def _root_date(root):
    try:
        return parse_date(root.get("generated-datetime"))
    except Unreadable:
        return None


class _Activity:
    def __init__(self, reader: IatiReader, batch: Batch, file: str, el, position: int, root, version: str | None):
        self.r, self.b, self.file, self.el, self.position = reader, batch, file, el, position
        self.lang = (el.get(XML_LANG) or root.get(XML_LANG) or "").lower() or None
        self.default_currency = el.get("default-currency") or None
        # 1.0x activities may state their own version; else the file's
        self.version = clean(el.get("version")) or clean(version)
        self.root_currency = root.get("default-currency") or None
        self.id: str | None = None
        self.counters: dict[str, int] = {}

    # --- deviations -----------------------------------------------------------------
    def dev(self, element: str, message: str, el=None, severity: str = "error") -> None:
        line = (el if el is not None else self.el).sourceline
        self.b.deviations.append(Deviation(self.file, self.id, element, message, severity, line))

    def date_of(self, el, path: str, attr: str = "iso-date", child: str = ""):
        """The date in @attr (or, 1.0x, the text) of el, which is path + child."""
        raw = el.get(attr)
        if raw is None and attr == "iso-date":
            raw = el.text  # 1.0x allows the date as text content
        try:
            return parse_date(raw)
        except Unreadable as e:
            self.dev(f"{path}{child}/@{attr}", f"{e}; the date is left out", el)
            return None

    def percent_of(self, el, path: str):
        try:
            return parse_percentage(el.get("percentage"))
        except Unreadable as e:
            self.dev(f"{path}/@percentage", f"{e}; kept without a percentage", el)
            return None

    # --- the activity -------------------------------------------------------------
    def read(self, publishers: Counter) -> None:
        self.id = identifier(self.el)
        if not self.id:
            self.dev(f"iati-activity[{self.position}]", "has no iati-identifier; the activity is left out")
            return
        # An activity reported by a secondary reporter (reporting-org/@secondary-reporter)
        # is stored beside the primary publisher's report of the same identifier, under an
        # id of its own: net totals leave it out when the primary's report is loaded.
        reporting = next((c for c in self.el if c.tag == "reporting-org"), None)
        self.secondary = reporting is not None and (reporting.get("secondary-reporter") or "").strip().lower() in ("1", "true")
        self.pid = f"{self.id}~secondary:{clean(reporting.get('ref')) or 'unnamed'}" if self.secondary else self.id
        if self.pid in self.r.seen:
            self.dev(f"iati-activity[{self.position}]",
                     "repeats an activity read earlier in this import; this copy is left out", severity="error")
            return
        self.r.seen.add(self.pid)
        if not self.r.all_countries:
            outside = outside_mekong(self.el, self.r.places)
            if outside is not None:
                self.b.left_out.activities += 1
                self.b.left_out.recipients.update(outside or ["none stated"])
                return
        pid = self.pid
        self.source_id = f"{self.b.document_id}#{pid}"
        self.b.add("source", source_id=self.source_id, document_id=self.b.document_id,
                   passage=f'iati-activity[iati-identifier="{self.id}"]', note=f"line {self.el.sourceline}")
        self.project = {c: None for c in ("iati_id", "code", "title_en", "title_fr", "description_en",
                                          "description_fr", "status", "status_source_id",
                                          "reporting_org_id", "parent_id", "scope_note", "last_updated")}
        self.project.update(project_id=pid, iati_id=self.id, hierarchy=1, document_id=self.b.document_id,
                            source_id=self.source_id, iati_version=self.version, secondary_reporter=self.secondary)
        self.dates, self.countries, self.sectors = {}, {}, {}
        self.descriptions: list[tuple[str, list]] = []  # (DescriptionType, texts)
        self.pending_locations = []
        self.participations: set = set()
        if self.default_currency:
            try:
                self.default_currency = currency_code(self.default_currency)
            except Unreadable as e:
                self.dev("@default-currency", f"{e}; ignored")
                self.default_currency = None
        updated = self.el.get("last-updated-datetime")
        if updated is not None:
            try:
                self.project["last_updated"] = parse_datetime(updated)
            except Unreadable as e:
                self.dev("@last-updated-datetime", f"{e}; left out", severity="warning")
        try:
            h = self.el.get("hierarchy")
            self.project["hierarchy"] = int(h) if h and h.strip() else 1
        except ValueError:
            self.dev("@hierarchy", f"'{h}' is not a whole number; taken as 1")
        handlers = _HANDLERS
        counters = self.counters
        # only the elements read here (filtered in C: no Python object for the others)
        for child in self.el.iterchildren(*handlers):
            tag = child.tag
            n = counters[tag] = counters.get(tag, 0) + 1
            handlers[tag](self, child, f"{tag}[{n}]")
        self.finish(publishers)

    def finish(self, publishers: Counter) -> None:
        p = self.project
        # the general description (type 1) first, the others only when there is none
        for _, texts in sorted(self.descriptions, key=lambda d: d[0] != "1"):
            if p["description_en"] is None:
                p["description_en"] = _english(texts)
            if p["description_fr"] is None:
                p["description_fr"] = _in(texts, "fr")
        if p["title_en"] is None and p["title_fr"] is None:
            self.dev("title", "the activity has no title", severity="warning")
        self.b.add("project", **p)
        if p["reporting_org_id"]:
            publishers[self.b.orgs[p["reporting_org_id"]]["name_en"]] += 1
        for path, el, n in self.pending_locations:  # after the recipient countries are known
            self.location_row(el, path, n)
        checks = [("recipient-country/recipient-region", list(self.countries.values()))]
        by_vocab: dict[str, list] = {}
        for (vocab, _), pct in self.sectors.items():
            by_vocab.setdefault(vocab, []).append(pct)
        checks += [(f"sector[@vocabulary={v}]", pcts) for v, pcts in by_vocab.items()]
        for element, pcts in checks:
            problem = split_problem(pcts)
            if problem:
                self.dev(element, problem, severity="warning")

    # --- elements ------------------------------------------------------------------
    def reporting_org(self, el, path):
        org_id, _ = self.r.org(self.b, el, self.lang, self.source_id)
        if org_id is None:
            self.dev(path, "names no organisation (no @ref, no name)", el, "warning")
        elif self.project["reporting_org_id"] is None:
            self.project["reporting_org_id"] = org_id

    def title(self, el, path):
        texts = _texts(el, self.lang)
        for lang, text in texts:
            self.b.add("project_text", project_id=self.pid, field="title", type=None, lang=lang, text=text,
                       source_id=self.source_id)
        if self.project["title_en"] is None:
            self.project["title_en"] = _in(texts, "en")
        if self.project["title_fr"] is None:
            self.project["title_fr"] = _in(texts, "fr")
        if self.project["title_en"] is None and self.project["title_fr"] is None:
            self.project["title_en"] = _english(texts)

    def description(self, el, path):
        dtype = clean(el.get("type")) or "1"
        texts = _texts(el, self.lang)
        for lang, text in texts:
            self.b.add("project_text", project_id=self.pid, field="description", type=dtype, lang=lang,
                       text=text, source_id=self.source_id)
        self.descriptions.append((dtype, texts))

    def participating_org(self, el, path):
        raw = clean(el.get("role"))
        role = codes.ROLES.get(raw.lower()) if raw else None
        if role is None:
            self.dev(f"{path}/@role", f"role '{raw}' is not one of 1-4 (funding, accountable, extending, "
                     "implementing); left out" if raw else "has no role; left out", el)
            return
        org_id, _ = self.r.org(self.b, el, self.lang, self.source_id)
        if org_id is None:
            self.dev(path, "names no organisation (no @ref, no name); left out", el)
            return
        if (org_id, role) not in self.participations:  # the same organisation and role twice: once
            self.participations.add((org_id, role))
            self.b.add("participation", project_id=self.pid, org_id=org_id, role=role, source_id=self.source_id)

    def status(self, el, path):
        raw = clean(el.get("code")) or clean(el.text)
        code = codes.status_code(raw)
        if code is None:
            self.dev(path, f"status '{raw}' is not an IATI activity status; left out" if raw
                     else "gives no status code", el)
            return
        self.project["status"] = code
        self.project["status_source_id"] = self.source_id

    def activity_date(self, el, path):
        raw = clean(el.get("type"))
        dtype = codes.DATE_TYPES.get(raw.lower()) if raw else None
        if dtype is None:
            self.dev(f"{path}/@type", f"date type '{raw}' is not one of 1-4; left out" if raw
                     else "has no type; left out", el)
            return
        date = self.date_of(el, path)
        if date is None:
            if el.get("iso-date") is None and not clean(el.text):
                self.dev(path, "gives no date; left out", el)
            return
        if dtype in self.dates:
            self.dev(path, f"a second {dtype.replace('_', ' ')} date ({date}); the first "
                           f"({self.dates[dtype]}) is kept", el, "warning")
            return
        self.dates[dtype] = date
        self.b.add("project_date", project_id=self.pid, type=dtype, date=date, source_id=self.source_id)

    def recipient_country(self, el, path):
        code = (clean(el.get("code")) or "").upper()
        if code not in self.r.places.countries:
            self.dev(f"{path}/@code", f"'{code}' is not an ISO 3166-1 country code; left out" if code
                     else "has no country code; left out", el)
            return
        pct = self.percent_of(el, path)
        if code in self.countries:
            self.dev(path, f"country {code} is given twice; the first is kept", el, "warning")
            return
        self.countries[code] = pct
        self.b.add("project_country", project_id=self.pid, country=code, percentage=pct,
                   source_id=self.source_id)

    def recipient_region(self, el, path):
        code = clean(el.get("code"))
        if not code:
            self.dev(f"{path}/@code", "has no region code; left out", el)
            return
        vocab = clean(el.get("vocabulary")) or "1"
        pct = self.percent_of(el, path)
        if ("region", vocab, code) in self.countries:
            self.dev(path, f"region {code} is given twice; the first is kept", el, "warning")
            return
        self.countries[("region", vocab, code)] = pct
        self.b.add("project_region", project_id=self.pid, vocabulary=vocab, code=code, percentage=pct,
                   source_id=self.source_id)

    def sector(self, el, path):
        code = clean(el.get("code"))
        raw_vocab = el.get("vocabulary")
        vocab = codes.sector_vocabulary(raw_vocab)
        if not code or vocab is None:
            self.dev(path, "has no sector code; left out" if not code
                     else f"sector vocabulary '{raw_vocab}' is not known; left out", el)
            return
        if vocab == "1" and not (code.isdigit() and len(code) == 5):
            self.dev(f"{path}/@code", f"'{code}' is not a DAC 5-digit code; kept as published", el, "warning")
        pct = self.percent_of(el, path)
        if (vocab, code) in self.sectors:
            self.dev(path, f"sector {code} is given twice; the first is kept", el, "warning")
            return
        self.sectors[(vocab, code)] = pct
        self.b.add("project_sector", project_id=self.pid, vocabulary=vocab, code=code, percentage=pct,
                   source_id=self.source_id)

    def other_identifier(self, el, path):
        if el.get("type") == "A1" and self.project["code"] is None:  # the reporter's own code
            self.project["code"] = clean(el.get("ref"))

    def related_activity(self, el, path):
        # type 1 = parent; apply.py keeps it only when the parent is in the database
        ref, rtype = clean(el.get("ref")), clean(el.get("type"))
        if rtype == "1" and self.project["parent_id"] is None:
            self.project["parent_id"] = ref
        if ref and rtype in RELATION_TYPES and ref != self.id:
            self.b.add("activity_relation", project_id=self.pid, related_id=ref, type=RELATION_TYPES[rtype],
                       source_id=self.source_id)
        elif ref and rtype not in RELATION_TYPES:
            self.dev(f"{path}/@type", f"type '{rtype}' is not an IATI related-activity type; left out", el, "warning")

    def scope(self, el, path):
        code = clean(el.get("code"))
        if code in SCOPES:
            self.project["scope_note"] = f"IATI activity scope: {SCOPES[code]}"

    # --- places ------------------------------------------------------------------
    def location(self, el, path):
        self.pending_locations.append((path, el, self.counters["location"]))

    def location_row(self, el, path, n):
        names, descriptions, admin_texts, admin_codes = [], [], [], []
        lat = lon = None
        feature = None
        country_level = []  # per administrative element: does it name a whole country?
        geonames = []
        basis = []
        for c in el:
            tag = c.tag
            if tag == "name":
                names += [t for _, t in _texts(c, self.lang)]
            elif tag == "description":
                descriptions += [t for _, t in _texts(c, self.lang)]
            elif tag == "administrative":
                code = clean(c.get("code"))
                vocab = clean(c.get("vocabulary"))
                if code:
                    admin_codes.append(code)
                    country_level.append(vocab == "A4" or c.get("level") == "0")
                    if vocab == "G1":
                        geonames.append(code)
                for attr in ("adm1", "adm2"):  # 1.0x
                    if clean(c.get(attr)):
                        admin_codes.append(c.get(attr).strip())
                if clean(c.get("country")):
                    admin_codes.append(c.get("country").strip())
                admin_texts += [t for _, t in _texts(c, self.lang)]
            elif tag == "point":
                pos = next((p for p in c if p.tag == "pos"), None)
                lat, lon = self.coordinates(pos.text if pos is not None else None, None, path, c)
            elif tag == "coordinates":  # 1.0x
                lat, lon = self.coordinates(c.get("latitude"), c.get("longitude"), path, c)
            elif tag in ("feature-designation", "location-type"):
                feature = clean(c.get("code"))
            elif tag == "location-id" and c.get("vocabulary") == "G1" and clean(c.get("code")):
                geonames.append(c.get("code").strip())
        if lat is not None:
            basis.append("coordinates as published (IATI point)")
        city = next((self.r.places.cities[g] for g in geonames if g in self.r.places.cities), None)
        if city is not None:  # a place the bundled city list knows by its GeoNames id
            names.append(city["name"])
            if lat is None:
                lat, lon = float(city["lat"]), float(city["lon"])
                basis.append(f"coordinates of GeoNames {city['geonameid']} (data/reference/cities.csv)")
        name = next(iter(names), None) or next(iter(admin_texts), None) or next(iter(descriptions), None)
        if name is None and lat is None and not admin_codes and not geonames:
            self.dev(path, "gives no name, coordinates, administrative area or GeoNames id; left out", el)
            return
        kind = codes.location_kind(feature)
        level_kinds = {"1": "province", "2": "district", "3": "district", "4": "district"}
        if kind is None:
            levels = [a.get("level") for a in el if a.tag == "administrative" and a.get("level")]
            kind = level_kinds.get(levels[-1]) if levels else None
        candidates = [n for n in (names + admin_texts or descriptions)]
        # only a country code and no name or point: the place is the country itself
        whole_country = kind == "country" or (bool(country_level) and all(country_level)
                                              and not names and lat is None)
        recipients = {k for k in self.countries if isinstance(k, str)}
        if city is not None and city["province"]:
            match = Match(city["province"], city["country"], f"GeoNames {city['geonameid']} in "
                                                             "data/reference/cities.csv")
        else:
            match = self.r.places.match(candidates, admin_codes, lat, lon, recipients, whole_country)
        if kind is None and match.is_province and names:
            kind = "province"
        if kind is None:
            kind = "country" if whole_country or (not match.province and any(
                self.r.places.country_of(n) for n in candidates)) else "point"
        if name is None and match.province:
            name = self.r.places.province_names[match.province]
        if name is None:
            name = (admin_codes[0] if admin_codes else f"GeoNames {geonames[0]}" if geonames
                    else f"{lat:.4f}, {lon:.4f}")
        if len(name) > 200:
            name = name[:199] + "…"
        if match.basis:
            basis.append(f"province from {match.basis}")
        basis = "; ".join(basis) or None
        location_id = f"{self.pid}:l{n}"
        self.b.add("location", location_id=location_id, name=name, kind=kind, country=match.country,
                   province=match.province, lat=lat, lon=lon, coord_basis=basis, source_id=self.source_id)
        note = next(iter(t for a in el if a.tag == "activity-description" for _, t in _texts(a, self.lang)), None)
        self.b.add("project_location", project_id=self.pid, location_id=location_id, note=note,
                   source_id=self.source_id)

    def coordinates(self, a, b, path, el):
        """'lat lon' in one string (2.0x pos) or two attributes (1.0x); (None, None) if unreadable."""
        try:
            if b is None:
                parts = (a or "").replace(",", " ").split()
                if not parts:
                    self.dev(f"{path}/point", "has no coordinates", el, "warning")
                    return None, None
                if len(parts) != 2:
                    raise ValueError
                lat, lon = float(parts[0]), float(parts[1])
            else:
                lat, lon = float(a), float(b)
        except (TypeError, ValueError):
            self.dev(f"{path}/{el.tag}", f"coordinates '{a if b is None else f'{a} {b}'}' cannot be read; "
                     "the place is kept without them", el)
            return None, None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.dev(f"{path}/{el.tag}", f"coordinates {lat} {lon} are out of range (latitude first); "
                     "the place is kept without them", el)
            return None, None
        return lat, lon

    # --- money -------------------------------------------------------------------
    def value_of(self, el, value, path):
        """(amount, currency, value date) of the <value> of a budget or transaction, or None
        when the amount cannot be read (the caller then leaves the element out)."""
        if value is None:
            self.dev(path, "has no value; left out", el)
            return None
        try:
            amount = parse_amount(value.text if len(value) == 0 else "".join(value.itertext()))
        except Unreadable as e:
            self.dev(f"{path}/value", f"{e}; left out", value)
            return None
        try:
            currency = currency_code(value.get("currency"))
        except Unreadable as e:
            self.dev(f"{path}/value/@currency", f"{e}", value)
            currency = None
        if currency is None:
            currency = self.default_currency
        if currency is None and self.root_currency:
            currency = self.root_currency.strip().upper()
            self.dev(f"{path}/value/@currency", f"no currency on the value or the activity; "
                     f"{currency} taken from <iati-activities>", value, "warning")
        if currency is None:
            currency = NO_CURRENCY
            self.dev(f"{path}/value/@currency", "no currency on the value or the activity; kept as "
                     "XXX (unknown currency), never converted", value)
        value_date = self.date_of(value, path, "value-date", "/value")
        return amount, currency, value_date

    def budget(self, el, path):
        kind = "budget" if el.tag == "budget" else "planned_disbursement"
        raw = clean(el.get("type"))
        btype = codes.BUDGET_TYPES.get(raw.lower()) if raw else "original"
        if btype is None:
            self.dev(f"{path}/@type", f"budget type '{raw}' is not 1 (original) or 2 (revised); "
                     "taken as original", el, "warning")
            btype = "original"
        start = end = value = None
        for c in el:
            if c.tag == "value":
                value = c
            elif c.tag == "period-start":
                start = self.date_of(c, path, child="/period-start")
            elif c.tag == "period-end":
                end = self.date_of(c, path, child="/period-end")
        money = self.value_of(el, value, path)
        if money is None:
            return
        if start and end and end < start:
            self.dev(path, f"period ends ({end}) before it starts ({start}); kept as published", el, "warning")
        n = self.counters[el.tag]
        self.b.rows["budget"].append({
            "budget_id": f"{self.pid}:{'b' if kind == 'budget' else 'pd'}{n}", "project_id": self.pid, "kind": kind,
            "type": btype, "amount": money[0], "currency": money[1], "period_start": start, "period_end": end,
            "value_date": money[2], "source_id": self.source_id})

    def transaction(self, el, path):
        n = self.counters["transaction"]
        row = {"transaction_id": f"{self.pid}:t{n}", "project_id": self.pid, "date": None,
               "provider_org_id": None, "provider_name": None, "receiver_org_id": None,
               "receiver_name": None, "sector_vocabulary": None, "sector_code": None, "country": None,
               "description": None, "provider_activity_id": None, "receiver_activity_id": None,
               "source_id": self.source_id}
        ttype = value = None
        for c in el.iterchildren(*_TRANSACTION_PARTS):
            tag = c.tag
            if tag == "value":
                value = c
            elif tag == "transaction-type":
                raw = clean(c.get("code")) or clean(c.text)
                ttype = codes.transaction_type(raw)
                if ttype is None:
                    self.dev(f"{path}/transaction-type", f"type '{raw}' is not an IATI transaction type; "
                             "the transaction is left out" if raw else "has no code; the transaction is "
                             "left out", c)
                    return
            elif tag == "transaction-date":
                row["date"] = self.date_of(c, path, child="/transaction-date")
            elif tag in ("provider-org", "receiver-org"):
                who = tag.split("-")[0]
                org_id, name = self.r.org(self.b, c, self.lang, self.source_id)
                row[f"{who}_org_id"], row[f"{who}_name"] = org_id, name
                # the activity the money came from or went to (a link between activities)
                row[f"{who}_activity_id"] = clean(c.get(f"{who}-activity-id"))
            elif tag == "sector" and row["sector_code"] is None:
                vocab, code = codes.sector_vocabulary(c.get("vocabulary")), clean(c.get("code"))
                if vocab and code:
                    row["sector_vocabulary"], row["sector_code"] = vocab, code
                else:
                    self.dev(f"{path}/sector", "sector cannot be read; left out", c)
            elif tag == "recipient-country" and row["country"] is None:
                code = (clean(c.get("code")) or "").upper()
                if code in self.r.places.countries:
                    row["country"] = code
                else:
                    self.dev(f"{path}/recipient-country", f"'{code}' is not a country code; left out", c)
            elif tag == "description":
                texts = _texts(c, self.lang)
                row["description"] = _english(texts) or _in(texts, "fr")
        if ttype is None:
            self.dev(path, "has no transaction-type; left out", el)
            return
        money = self.value_of(el, value, path)
        if money is None:
            return
        row["type"], row["amount"], row["currency"], row["value_date"] = ttype, *money
        self.b.rows["transaction"].append(row)


# element -> the _Activity method that reads it
_HANDLERS = {
    "reporting-org": _Activity.reporting_org, "title": _Activity.title, "description": _Activity.description,
    "participating-org": _Activity.participating_org, "activity-status": _Activity.status,
    "activity-date": _Activity.activity_date, "recipient-country": _Activity.recipient_country,
    "recipient-region": _Activity.recipient_region, "sector": _Activity.sector, "location": _Activity.location,
    "budget": _Activity.budget, "planned-disbursement": _Activity.budget, "transaction": _Activity.transaction,
    "other-identifier": _Activity.other_identifier, "related-activity": _Activity.related_activity,
    "activity-scope": _Activity.scope,
}
_TRANSACTION_PARTS = ("value", "transaction-type", "transaction-date", "provider-org", "receiver-org", "sector",
                      "recipient-country", "description")
