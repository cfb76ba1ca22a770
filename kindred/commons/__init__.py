"""What the three forms hold in common between people, so that none of them re-implements it.

- the spine: one `Engagement` per (person, thing, form, role) over time, written only through `spine`;
- blocks: one block, honoured by every form;
- the reach gate: the only way anything is sent to a person (`reach`), applying stepping back, a death or
  critical incident, quiet hours, blocks, contact preferences and unsubscribes in one place;
- rules acknowledgement and invitations, one mechanism each for groups, spaces and organisations;
- the small interfaces the forms register so that journey, well-being, care and organisations can ask them for
  facts and actions without importing them.

It knows no form: groups, one-to-one and online depend on it, never the reverse.
"""
