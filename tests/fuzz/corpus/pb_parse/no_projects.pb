META
key;value
description;RULES.md exactness example: in floating point p3 is wrongly dropped
country;Netherlands
unit;Test
instance;2026
num_projects;4
num_votes;6
budget;110
vote_type;approval
rule;equalshares
date_begin;01.01.2026
date_end;05;p1,p2
6;p2,p3,p4
