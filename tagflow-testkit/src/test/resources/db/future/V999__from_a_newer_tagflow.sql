-- A migration this Tagflow does not have, as a newer Tagflow would have applied it.
CREATE TABLE from_a_newer_tagflow (id BIGINT NOT NULL PRIMARY KEY, payload ${binary});
