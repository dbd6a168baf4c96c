"""Writes many tags or attributes of one object in a few queries.

Evennia's handlers write one tag or attribute at a time, each a query to look
it up, one to create it and one to link it: a room's three tags and four
attributes took some 30 queries, most of the 20-30 ms its creation cost the
reactor. Here tags take one query to find those that exist, one to create
the others and one to link them all; attributes one to see which the object
has already, one to create the others and one to link them. The handlers'
caches are reset afterwards, so the next read sees what was written. Inputs
are in the tuple forms of Evennia's `batch_add` (what create_object and the
spawner pass)."""

from django.db.models import Q
from evennia.typeclasses.attributes import Attribute
from evennia.typeclasses.tags import Tag
from evennia.utils.dbserialize import to_pickle

ALIAS = "alias"  # the tag type of aliases


def _model(obj) -> str:
    return obj.__dbclass__.__name__.lower()


def _lower(text) -> str | None:
    return str(text).strip().lower() if text else None


def add_tags(obj, tags, tagtype: str | None = None) -> None:
    """Give `obj` the tags: each a key, or (key, category[, data]); a tag that
    exists already (on any object) is shared, its data replaced when given."""
    wanted: dict[tuple, str | None] = {}
    for tag in tags:
        key, category, data = (tag, None, None) if isinstance(tag, str) else (*tag, None, None)[:3]
        if key:
            wanted[(_lower(key), _lower(category))] = None if data is None else str(data)
    if not wanted:
        return
    model = _model(obj)
    match = Q()
    for key, category in wanted:
        match |= Q(db_key=key, db_category=category)
    found = {(t.db_key, t.db_category): t for t in Tag.objects.filter(match, db_model=model, db_tagtype=tagtype)}
    for where, tag in found.items():
        if wanted[where] is not None and tag.db_data != wanted[where]:
            tag.db_data = wanted[where]
            tag.save(update_fields=["db_data"])
    made = Tag.objects.bulk_create([Tag(db_key=key, db_category=category, db_data=data, db_model=model,
                                        db_tagtype=tagtype)
                                    for (key, category), data in wanted.items() if (key, category) not in found])
    obj.db_tags.add(*found.values(), *made)
    (obj.aliases if tagtype == ALIAS else obj.tags).reset_cache()


def add_attributes(obj, attributes) -> None:
    """Give `obj` the attributes: each (key, value[, category[, lockstring]]);
    one it has already is updated (through its handler)."""
    rows = {}
    for key, value, *rest in attributes:
        category, lockstring = (*rest, None, "")[:2]
        rows[(_lower(key), _lower(category))] = (value, lockstring or "")
    if not rows:
        return
    has = set(obj.db_attributes.filter(db_attrtype=None).values_list("db_key", "db_category"))
    model = _model(obj)
    made = Attribute.objects.bulk_create([
        Attribute(db_key=key, db_category=category, db_value=to_pickle(value), db_lock_storage=lockstring,
                  db_model=model)
        for (key, category), (value, lockstring) in rows.items() if (key, category) not in has])
    obj.db_attributes.add(*made)
    obj.attributes.reset_cache()
    for (key, category), (value, lockstring) in rows.items():
        if (key, category) in has:
            obj.attributes.add(key, value, category=category, lockstring=lockstring)
