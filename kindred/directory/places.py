"""A small built-in gazetteer: UK towns, cities and postcode areas with coordinates.

Kindred has no network at run time, so "near Bolton" or "near LS6" is answered from this list.
Coordinates are town or city centres (WGS84, to about 100 m) — plenty for "within 10 km".
Postcode areas (the letters at the start of a postcode: M, BL, LS…) use their main town's centre.
Coverage: the North West, North East and Yorkshire in depth, and the UK's larger cities.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180  # along a meridian


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    region: str = ""
    postcode_area: str = ""  # set when the place was found from a postcode


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


NW, NE, YH = "North West", "North East", "Yorkshire"
MIDS, EAST, LON, SE, SW = "Midlands", "East of England", "London", "South East", "South West"
WAL, SCO, NI = "Wales", "Scotland", "Northern Ireland"

# (name, latitude, longitude, region, other names people use)
_TOWNS: tuple[tuple[str, float, float, str, tuple[str, ...]], ...] = (
    # North West — Greater Manchester
    ("Manchester", 53.4808, -2.2426, NW, ("manchester city centre",)),
    ("Salford", 53.4875, -2.2901, NW, ()),
    ("Bolton", 53.5769, -2.4282, NW, ()),
    ("Bury", 53.5933, -2.2966, NW, ()),
    ("Rochdale", 53.6097, -2.1561, NW, ()),
    ("Oldham", 53.5409, -2.1114, NW, ()),
    ("Stockport", 53.4106, -2.1575, NW, ()),
    ("Wigan", 53.5450, -2.6325, NW, ()),
    ("Stretford", 53.4465, -2.3097, NW, ("trafford",)),
    ("Altrincham", 53.3838, -2.3547, NW, ()),
    ("Sale", 53.4250, -2.3220, NW, ()),
    ("Ashton-under-Lyne", 53.4897, -2.0952, NW, ("ashton", "ashton under lyne", "tameside")),
    ("Stalybridge", 53.4845, -2.0599, NW, ()),
    ("Hyde", 53.4516, -2.0789, NW, ()),
    ("Leigh", 53.4975, -2.5150, NW, ()),
    ("Middleton", 53.5550, -2.1870, NW, ()),
    ("Heywood", 53.5920, -2.2190, NW, ()),
    ("Prestwich", 53.5333, -2.2833, NW, ()),
    ("Eccles", 53.4833, -2.3333, NW, ()),
    ("Swinton", 53.5120, -2.3450, NW, ()),
    ("Wythenshawe", 53.3800, -2.2640, NW, ()),
    ("Didsbury", 53.4167, -2.2333, NW, ()),
    ("Chorlton", 53.4420, -2.2770, NW, ("chorlton cum hardy",)),
    ("Levenshulme", 53.4480, -2.2070, NW, ()),
    ("Moss Side", 53.4580, -2.2480, NW, ()),
    ("Longsight", 53.4590, -2.2000, NW, ()),
    ("Cheetham Hill", 53.5040, -2.2370, NW, ()),
    ("Farnworth", 53.5480, -2.4000, NW, ()),
    ("Horwich", 53.6010, -2.5500, NW, ()),
    ("Westhoughton", 53.5490, -2.5240, NW, ()),
    ("Atherton", 53.5230, -2.4940, NW, ()),
    ("Ramsbottom", 53.6480, -2.3160, NW, ()),
    ("Glossop", 53.4430, -1.9490, MIDS, ()),
    # North West — Merseyside and Cheshire
    ("Liverpool", 53.4084, -2.9916, NW, ()),
    ("Birkenhead", 53.3934, -3.0148, NW, ("wirral",)),
    ("Wallasey", 53.4233, -3.0650, NW, ()),
    ("Bootle", 53.4460, -2.9880, NW, ()),
    ("Southport", 53.6475, -3.0053, NW, ()),
    ("St Helens", 53.4539, -2.7375, NW, ("saint helens", "st. helens")),
    ("Kirkby", 53.4820, -2.8920, NW, ()),
    ("Huyton", 53.4110, -2.8430, NW, ("knowsley",)),
    ("Crosby", 53.4870, -3.0330, NW, ()),
    ("Warrington", 53.3900, -2.5970, NW, ()),
    ("Widnes", 53.3610, -2.7337, NW, ()),
    ("Runcorn", 53.3420, -2.7290, NW, ()),
    ("Chester", 53.1934, -2.8931, NW, ()),
    ("Ellesmere Port", 53.2786, -2.9020, NW, ()),
    ("Crewe", 53.0979, -2.4416, NW, ()),
    ("Macclesfield", 53.2587, -2.1270, NW, ()),
    ("Northwich", 53.2587, -2.5184, NW, ()),
    ("Winsford", 53.1940, -2.5250, NW, ()),
    ("Wilmslow", 53.3280, -2.2310, NW, ()),
    # North West — Lancashire and Cumbria
    ("Preston", 53.7632, -2.7031, NW, ()),
    ("Blackburn", 53.7486, -2.4875, NW, ()),
    ("Burnley", 53.7890, -2.2400, NW, ()),
    ("Accrington", 53.7534, -2.3638, NW, ("hyndburn",)),
    ("Blackpool", 53.8175, -3.0357, NW, ()),
    ("Lancaster", 54.0466, -2.8007, NW, ()),
    ("Morecambe", 54.0730, -2.8650, NW, ()),
    ("Chorley", 53.6530, -2.6320, NW, ()),
    ("Leyland", 53.6970, -2.6880, NW, ()),
    ("Lytham St Annes", 53.7420, -2.9970, NW, ("lytham", "st annes", "saint annes")),
    ("Fleetwood", 53.9250, -3.0100, NW, ()),
    ("Ormskirk", 53.5665, -2.8869, NW, ("west lancashire",)),
    ("Skelmersdale", 53.5500, -2.7760, NW, ()),
    ("Darwen", 53.6980, -2.4610, NW, ()),
    ("Nelson", 53.8350, -2.2180, NW, ("pendle",)),
    ("Colne", 53.8560, -2.1760, NW, ()),
    ("Clitheroe", 53.8710, -2.3930, NW, ("ribble valley",)),
    ("Rawtenstall", 53.7000, -2.2880, NW, ("rossendale",)),
    ("Carlisle", 54.8925, -2.9329, NW, ()),
    ("Kendal", 54.3280, -2.7460, NW, ()),
    ("Barrow-in-Furness", 54.1108, -3.2261, NW, ("barrow", "barrow in furness")),
    ("Workington", 54.6425, -3.5440, NW, ()),
    ("Whitehaven", 54.5480, -3.5870, NW, ()),
    ("Penrith", 54.6640, -2.7520, NW, ()),
    ("Ulverston", 54.1930, -3.0920, NW, ()),
    # North East
    ("Newcastle upon Tyne", 54.9783, -1.6178, NE, ("newcastle", "toon")),
    ("Gateshead", 54.9527, -1.6034, NE, ()),
    ("Sunderland", 54.9069, -1.3838, NE, ()),
    ("South Shields", 54.9986, -1.4323, NE, ("south tyneside",)),
    ("North Shields", 55.0177, -1.4486, NE, ("north tyneside",)),
    ("Tynemouth", 55.0179, -1.4256, NE, ()),
    ("Whitley Bay", 55.0390, -1.4420, NE, ()),
    ("Wallsend", 54.9910, -1.5340, NE, ()),
    ("Jarrow", 54.9800, -1.4850, NE, ()),
    ("Hebburn", 54.9730, -1.5130, NE, ()),
    ("Gosforth", 55.0070, -1.6230, NE, ()),
    ("Byker", 54.9740, -1.5790, NE, ()),
    ("Benwell", 54.9690, -1.6660, NE, ()),
    ("Killingworth", 55.0310, -1.5570, NE, ()),
    ("Blaydon", 54.9650, -1.7130, NE, ("blaydon on tyne",)),
    ("Whickham", 54.9460, -1.6760, NE, ()),
    ("Washington", 54.9000, -1.5200, NE, ()),
    ("Houghton-le-Spring", 54.8410, -1.4680, NE, ("houghton le spring",)),
    ("Durham", 54.7761, -1.5733, NE, ()),
    ("Chester-le-Street", 54.8580, -1.5740, NE, ("chester le street",)),
    ("Consett", 54.8540, -1.8310, NE, ()),
    ("Stanley", 54.8670, -1.6980, NE, ()),
    ("Peterlee", 54.7600, -1.3360, NE, ()),
    ("Seaham", 54.8390, -1.3450, NE, ()),
    ("Bishop Auckland", 54.6640, -1.6770, NE, ()),
    ("Newton Aycliffe", 54.6180, -1.5800, NE, ()),
    ("Spennymoor", 54.6990, -1.6010, NE, ()),
    ("Darlington", 54.5236, -1.5595, NE, ()),
    ("Hartlepool", 54.6863, -1.2129, NE, ()),
    ("Stockton-on-Tees", 54.5705, -1.3187, NE, ("stockton", "stockton on tees")),
    ("Middlesbrough", 54.5742, -1.2350, NE, ("boro", "teesside")),
    ("Redcar", 54.6170, -1.0700, NE, ()),
    ("Billingham", 54.6070, -1.2890, NE, ()),
    ("Guisborough", 54.5350, -1.0560, NE, ()),
    ("Thornaby", 54.5450, -1.3020, NE, ("thornaby on tees",)),
    ("Hexham", 54.9710, -2.1010, NE, ()),
    ("Morpeth", 55.1680, -1.6880, NE, ()),
    ("Blyth", 55.1270, -1.5100, NE, ()),
    ("Cramlington", 55.0860, -1.5850, NE, ()),
    ("Ashington", 55.1770, -1.5680, NE, ()),
    ("Alnwick", 55.4130, -1.7060, NE, ()),
    ("Berwick-upon-Tweed", 55.7710, -2.0070, NE, ("berwick", "berwick upon tweed")),
    ("Prudhoe", 54.9610, -1.8520, NE, ()),
    ("Ponteland", 55.0480, -1.7430, NE, ()),
    # Yorkshire — West Yorkshire
    ("Leeds", 53.8008, -1.5491, YH, ("leeds city centre",)),
    ("Bradford", 53.7960, -1.7594, YH, ()),
    ("Halifax", 53.7248, -1.8658, YH, ("calderdale",)),
    ("Huddersfield", 53.6458, -1.7850, YH, ("kirklees",)),
    ("Wakefield", 53.6833, -1.4977, YH, ()),
    ("Dewsbury", 53.6910, -1.6300, YH, ()),
    ("Batley", 53.7160, -1.6350, YH, ()),
    ("Keighley", 53.8670, -1.9110, YH, ()),
    ("Bingley", 53.8480, -1.8380, YH, ()),
    ("Shipley", 53.8330, -1.7770, YH, ()),
    ("Saltaire", 53.8380, -1.7900, YH, ()),
    ("Ilkley", 53.9250, -1.8220, YH, ()),
    ("Otley", 53.9050, -1.6910, YH, ()),
    ("Pudsey", 53.7950, -1.6630, YH, ()),
    ("Morley", 53.7400, -1.6000, YH, ()),
    ("Horsforth", 53.8400, -1.6390, YH, ()),
    ("Headingley", 53.8190, -1.5800, YH, ()),
    ("Chapeltown", 53.8190, -1.5330, YH, ()),
    ("Harehills", 53.8140, -1.5160, YH, ()),
    ("Armley", 53.7990, -1.5900, YH, ()),
    ("Seacroft", 53.8210, -1.4560, YH, ()),
    ("Beeston", 53.7780, -1.5640, YH, ()),
    ("Garforth", 53.7920, -1.3880, YH, ()),
    ("Wetherby", 53.9280, -1.3860, YH, ()),
    ("Castleford", 53.7250, -1.3620, YH, ()),
    ("Pontefract", 53.6910, -1.3120, YH, ()),
    ("Normanton", 53.6980, -1.4160, YH, ()),
    ("Ossett", 53.6800, -1.5800, YH, ()),
    ("Brighouse", 53.7030, -1.7840, YH, ()),
    ("Elland", 53.6850, -1.8380, YH, ()),
    ("Sowerby Bridge", 53.7080, -1.9070, YH, ()),
    ("Hebden Bridge", 53.7420, -2.0110, YH, ()),
    ("Todmorden", 53.7140, -2.0970, YH, ()),
    ("Holmfirth", 53.5700, -1.7870, YH, ()),
    ("Mirfield", 53.6730, -1.6960, YH, ()),
    ("Cleckheaton", 53.7250, -1.7130, YH, ()),
    ("Heckmondwike", 53.7080, -1.6750, YH, ()),
    # Yorkshire — South, North and East
    ("Sheffield", 53.3811, -1.4701, YH, ()),
    ("Rotherham", 53.4326, -1.3635, YH, ()),
    ("Barnsley", 53.5526, -1.4797, YH, ()),
    ("Doncaster", 53.5228, -1.1285, YH, ()),
    ("Mexborough", 53.4930, -1.2860, YH, ()),
    ("Penistone", 53.5250, -1.6290, YH, ()),
    ("York", 53.9600, -1.0873, YH, ()),
    ("Harrogate", 53.9921, -1.5418, YH, ()),
    ("Knaresborough", 54.0090, -1.4670, YH, ()),
    ("Ripon", 54.1380, -1.5240, YH, ()),
    ("Skipton", 53.9620, -2.0170, YH, ("craven",)),
    ("Selby", 53.7840, -1.0670, YH, ()),
    ("Thirsk", 54.2320, -1.3410, YH, ()),
    ("Northallerton", 54.3390, -1.4340, YH, ()),
    ("Scarborough", 54.2831, -0.3998, YH, ()),
    ("Whitby", 54.4858, -0.6206, YH, ()),
    ("Hull", 53.7457, -0.3367, YH, ("kingston upon hull",)),
    ("Beverley", 53.8450, -0.4270, YH, ()),
    ("Bridlington", 54.0830, -0.1920, YH, ()),
    ("Goole", 53.7050, -0.8730, YH, ()),
    ("Grimsby", 53.5654, -0.0755, YH, ("great grimsby",)),
    ("Scunthorpe", 53.5890, -0.6540, YH, ()),
    # Larger cities and towns elsewhere in the UK
    ("London", 51.5072, -0.1276, LON, ("central london",)),
    ("Birmingham", 52.4862, -1.8904, MIDS, ()),
    ("Coventry", 52.4068, -1.5197, MIDS, ()),
    ("Wolverhampton", 52.5862, -2.1288, MIDS, ()),
    ("Nottingham", 52.9548, -1.1581, MIDS, ()),
    ("Leicester", 52.6369, -1.1398, MIDS, ()),
    ("Derby", 52.9225, -1.4746, MIDS, ()),
    ("Stoke-on-Trent", 53.0027, -2.1794, MIDS, ("stoke", "stoke on trent")),
    ("Lincoln", 53.2307, -0.5406, MIDS, ()),
    ("Northampton", 52.2405, -0.9027, MIDS, ()),
    ("Worcester", 52.1936, -2.2216, MIDS, ()),
    ("Hereford", 52.0565, -2.7160, MIDS, ()),
    ("Shrewsbury", 52.7073, -2.7553, MIDS, ()),
    ("Telford", 52.6784, -2.4453, MIDS, ()),
    ("Chesterfield", 53.2350, -1.4210, MIDS, ()),
    ("Cambridge", 52.2053, 0.1218, EAST, ()),
    ("Norwich", 52.6309, 1.2974, EAST, ()),
    ("Ipswich", 52.0567, 1.1482, EAST, ()),
    ("Peterborough", 52.5695, -0.2405, EAST, ()),
    ("Luton", 51.8787, -0.4200, EAST, ()),
    ("Colchester", 51.8959, 0.8919, EAST, ()),
    ("Chelmsford", 51.7356, 0.4685, EAST, ()),
    ("Southend-on-Sea", 51.5459, 0.7077, EAST, ("southend", "southend on sea")),
    ("Milton Keynes", 52.0406, -0.7594, SE, ()),
    ("Oxford", 51.7520, -1.2577, SE, ()),
    ("Reading", 51.4543, -0.9781, SE, ()),
    ("Southampton", 50.9097, -1.4044, SE, ()),
    ("Portsmouth", 50.8198, -1.0880, SE, ()),
    ("Brighton", 50.8225, -0.1372, SE, ("brighton and hove", "hove")),
    ("Canterbury", 51.2802, 1.0789, SE, ()),
    ("Bristol", 51.4545, -2.5879, SW, ()),
    ("Bath", 51.3811, -2.3590, SW, ()),
    ("Gloucester", 51.8642, -2.2382, SW, ()),
    ("Swindon", 51.5558, -1.7797, SW, ()),
    ("Plymouth", 50.3755, -4.1427, SW, ()),
    ("Exeter", 50.7184, -3.5339, SW, ()),
    ("Bournemouth", 50.7192, -1.8808, SW, ()),
    ("Cardiff", 51.4816, -3.1791, WAL, ("caerdydd",)),
    ("Swansea", 51.6214, -3.9436, WAL, ("abertawe",)),
    ("Newport", 51.5842, -2.9977, WAL, ("casnewydd",)),
    ("Wrexham", 53.0460, -2.9925, WAL, ()),
    ("Bangor", 53.2274, -4.1293, WAL, ()),
    ("Glasgow", 55.8642, -4.2518, SCO, ()),
    ("Edinburgh", 55.9533, -3.1883, SCO, ()),
    ("Aberdeen", 57.1497, -2.0943, SCO, ()),
    ("Dundee", 56.4620, -2.9707, SCO, ()),
    ("Inverness", 57.4778, -4.2247, SCO, ()),
    ("Stirling", 56.1165, -3.9369, SCO, ()),
    ("Perth", 56.3950, -3.4308, SCO, ()),
    ("Belfast", 54.5973, -5.9301, NI, ()),
    ("Derry", 54.9966, -7.3086, NI, ("londonderry", "derry londonderry")),
)

# Postcode area → the place whose centre stands for it.
_POSTCODE_AREAS: dict[str, str] = {
    # North West
    "M": "Manchester",
    "BL": "Bolton",
    "OL": "Oldham",
    "SK": "Stockport",
    "WN": "Wigan",
    "WA": "Warrington",
    "L": "Liverpool",
    "CH": "Chester",
    "CW": "Crewe",
    "PR": "Preston",
    "BB": "Blackburn",
    "FY": "Blackpool",
    "LA": "Lancaster",
    "CA": "Carlisle",
    # North East
    "NE": "Newcastle upon Tyne",
    "SR": "Sunderland",
    "DH": "Durham",
    "DL": "Darlington",
    "TS": "Middlesbrough",
    # Yorkshire
    "LS": "Leeds",
    "BD": "Bradford",
    "HX": "Halifax",
    "HD": "Huddersfield",
    "WF": "Wakefield",
    "S": "Sheffield",
    "DN": "Doncaster",
    "YO": "York",
    "HG": "Harrogate",
    "HU": "Hull",
    # Elsewhere
    "B": "Birmingham",
    "CV": "Coventry",
    "WV": "Wolverhampton",
    "NG": "Nottingham",
    "LE": "Leicester",
    "DE": "Derby",
    "ST": "Stoke-on-Trent",
    "LN": "Lincoln",
    "NN": "Northampton",
    "WR": "Worcester",
    "HR": "Hereford",
    "SY": "Shrewsbury",
    "TF": "Telford",
    "CB": "Cambridge",
    "NR": "Norwich",
    "IP": "Ipswich",
    "PE": "Peterborough",
    "LU": "Luton",
    "CO": "Colchester",
    "CM": "Chelmsford",
    "SS": "Southend-on-Sea",
    "MK": "Milton Keynes",
    "OX": "Oxford",
    "RG": "Reading",
    "SO": "Southampton",
    "PO": "Portsmouth",
    "BN": "Brighton",
    "CT": "Canterbury",
    "BS": "Bristol",
    "BA": "Bath",
    "GL": "Gloucester",
    "SN": "Swindon",
    "PL": "Plymouth",
    "EX": "Exeter",
    "BH": "Bournemouth",
    "CF": "Cardiff",
    "SA": "Swansea",
    "NP": "Newport",
    "LL": "Wrexham",
    "G": "Glasgow",
    "EH": "Edinburgh",
    "AB": "Aberdeen",
    "DD": "Dundee",
    "IV": "Inverness",
    "FK": "Stirling",
    "PH": "Perth",
    "BT": "Belfast",
    "E": "London",
    "EC": "London",
    "N": "London",
    "NW": "London",
    "SE": "London",
    "SW": "London",
    "W": "London",
    "WC": "London",
}

# A full postcode ("LS6 3AB"), an outward code ("LS6", "M14") or an area on its own ("LS").
_POSTCODE = re.compile(r"^([A-Z]{1,2})(?:[0-9][0-9A-Z]?(?:\s*[0-9][A-Z]{2})?)?$")


def _key(text: str) -> str:
    text = text.lower().replace("&", " and ").replace(".", " ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@cache
def _index() -> dict[str, Place]:
    index: dict[str, Place] = {}
    for name, lat, lon, region, aliases in _TOWNS:
        place = Place(name=name, latitude=lat, longitude=lon, region=region)
        for key in (name, *aliases):
            index.setdefault(_key(key), place)
    return index


def all_places() -> list[Place]:
    """Every named place once, for pick lists and tests."""
    seen: dict[str, Place] = {}
    for place in _index().values():
        seen.setdefault(place.name, place)
    return sorted(seen.values(), key=lambda p: p.name)


def postcode_areas() -> dict[str, str]:
    return dict(_POSTCODE_AREAS)


def find_place(text: str) -> Place | None:
    """A town, city or postcode (area, outward code or full) → a Place; None if we don't know it."""
    text = (text or "").strip()[:60]
    if not text:
        return None
    place = _index().get(_key(text))
    if place is not None:
        return place
    compact = text.upper().replace(" ", "")
    match = _POSTCODE.match(compact) or _POSTCODE.match(text.upper().strip())
    if match:
        area = match.group(1)
        town = _POSTCODE_AREAS.get(area)
        if town is not None:
            base = _index()[_key(town)]
            return Place(
                name=f"{' '.join(text.upper().split())} (around {base.name})",
                latitude=base.latitude,
                longitude=base.longitude,
                region=base.region,
                postcode_area=area,
            )
    return None
