/*
 * cf/class: classes of words ($=X), as C and F lines and start-up code fill
 * them.
 *
 * Membership is case-insensitive.  One entry exists per distinct word
 * (compared without case) for all classes together, remembering the
 * spelling it was first added with and a set of the classes holding it:
 * Sendmail keeps its classes the same way, as entries of its symbol table,
 * and that decides the order in which -bt lists a class.
 *
 * Listing order (class_foreach): Sendmail walks its symbol table bucket by
 * bucket; a word's bucket is h = 1 (the class symbol type), then for each
 * byte c of the lower-cased word h = ((h << 1) ^ c) % 2003; entries in one
 * bucket come in the order they were created.  We store each entry's
 * bucket and creation number and sort by both when listing.  The formula
 * was found by experiment with the reference binary (see
 * test/unit/test_cf_class.c for the observed orders).
 *
 * Public API: cf/config.h (class_member, class_add, class_foreach) and
 * classes_new/classes_free below, declared there too.
 */
#include "sendmail/cf/config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libsm/sm_mem.h"

#define STAB_SIZE 2003
#define STAB_TYPE_CLASS 1
#define TABLE_INIT 256

struct class_entry {
	char *word;        /* spelling of the first addition */
	unsigned bucket;   /* Sendmail's symbol-table bucket */
	unsigned long seq; /* creation order */
	unsigned char *ids; /* bitmap of class ids */
	size_t nids;       /* bytes in ids */
};

/* What the rewriting engine may ask before hashing a phrase. */
struct class_shape {
	uint64_t lenmask; /* bit n: a member of length n (bit 63: length >= 63) */
	size_t maxlen;    /* the longest member */
};

struct classes {
	struct class_entry **tab; /* open addressing on the lower-case hash */
	size_t cap;
	size_t n;
	unsigned long seq;
	size_t maxlen; /* longest word added to any class */
	struct class_shape *shape; /* per class id: member lengths */
	size_t nshape;
};

static unsigned stab_bucket(const char *w)
{
	unsigned h = STAB_TYPE_CLASS;

	for (const unsigned char *p = (const unsigned char *)w; *p; p++)
		h = ((h << 1) ^ (unsigned)tolower(*p)) % STAB_SIZE;
	return h;
}

/* FNV-1a over the lower-cased word, for our own table. */
static uint64_t word_hash(const char *w)
{
	uint64_t h = 1469598103934665603ULL;

	for (const unsigned char *p = (const unsigned char *)w; *p; p++) {
		h ^= (uint64_t)tolower(*p);
		h *= 1099511628211ULL;
	}
	return h;
}

struct classes *classes_new(void)
{
	struct classes *c = sm_calloc(1, sizeof(*c));
	c->cap = TABLE_INIT;
	c->tab = sm_calloc(c->cap, sizeof(*c->tab));
	return c;
}

void classes_free(struct classes *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->cap; i++) {
		if (c->tab[i] != NULL) {
			free(c->tab[i]->word);
			free(c->tab[i]->ids);
			free(c->tab[i]);
		}
	}
	free(c->tab);
	free(c->shape);
	free(c);
}

/* The slot holding word, or the empty slot where it would go. */
static size_t find_slot(const struct classes *c, const char *word)
{
	size_t i = (size_t)(word_hash(word) & (c->cap - 1));

	while (c->tab[i] != NULL && strcasecmp(c->tab[i]->word, word) != 0)
		i = (i + 1) & (c->cap - 1);
	return i;
}

static void grow(struct classes *c)
{
	struct class_entry **old = c->tab;
	size_t oldcap = c->cap;

	c->cap *= 2;
	c->tab = sm_calloc(c->cap, sizeof(*c->tab));
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i] != NULL)
			c->tab[find_slot(c, old[i]->word)] = old[i];
	}
	free(old);
}

static bool has_id(const struct class_entry *e, int id)
{
	size_t byte = (size_t)id / 8;
	return byte < e->nids && (e->ids[byte] & (1u << (id % 8)));
}

bool class_member(const struct classes *c, int id, const char *word)
{
	if (c == NULL || id < 0)
		return false;
	const struct class_entry *e = c->tab[find_slot(c, word)];
	return e != NULL && has_id(e, id);
}

static void note_shape(struct classes *c, int id, size_t len)
{
	if ((size_t)id >= c->nshape) {
		size_t n = (size_t)id + 64;
		c->shape = sm_reallocarray(c->shape, n, sizeof(*c->shape));
		memset(c->shape + c->nshape, 0, (n - c->nshape) * sizeof(*c->shape));
		c->nshape = n;
	}
	c->shape[id].lenmask |= 1ULL << (len < 63 ? len : 63);
	if (len > c->shape[id].maxlen)
		c->shape[id].maxlen = len;
}

void class_add(struct classes *c, int id, const char *word)
{
	if (id < 0)
		return;
	if ((c->n + 1) * 2 > c->cap)
		grow(c);
	size_t i = find_slot(c, word);
	struct class_entry *e = c->tab[i];
	if (e == NULL) {
		e = sm_calloc(1, sizeof(*e));
		e->word = sm_strdup(word);
		e->bucket = stab_bucket(word);
		e->seq = c->seq++;
		c->tab[i] = e;
		c->n++;
		if (strlen(word) > c->maxlen)
			c->maxlen = strlen(word);
	}
	note_shape(c, id, strlen(word));
	size_t byte = (size_t)id / 8;
	if (byte >= e->nids) {
		size_t n = byte + 8;
		e->ids = sm_realloc(e->ids, n);
		memset(e->ids + e->nids, 0, n - e->nids);
		e->nids = n;
	}
	e->ids[byte] |= (unsigned char)(1u << (id % 8));
}

size_t class_maxlen(const struct classes *c)
{
	return c->maxlen;
}

size_t class_id_maxlen(const struct classes *c, int id)
{
	return id >= 0 && (size_t)id < c->nshape ? c->shape[id].maxlen : 0;
}

bool class_may_have_len(const struct classes *c, int id, size_t len)
{
	if (id < 0 || (size_t)id >= c->nshape)
		return false;
	return (c->shape[id].lenmask >> (len < 63 ? len : 63)) & 1;
}

static int entry_order(const void *a, const void *b)
{
	const struct class_entry *x = *(const struct class_entry *const *)a;
	const struct class_entry *y = *(const struct class_entry *const *)b;

	if (x->bucket != y->bucket)
		return x->bucket < y->bucket ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void class_foreach(const struct classes *c, int id, bool (*fn)(const char *word, void *arg),
		   void *arg)
{
	if (c == NULL || id < 0)
		return;
	struct class_entry **v = sm_reallocarray(NULL, c->n + 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < c->cap; i++) {
		if (c->tab[i] != NULL && has_id(c->tab[i], id))
			v[n++] = c->tab[i];
	}
	qsort(v, n, sizeof(*v), entry_order);
	for (size_t i = 0; i < n; i++) {
		if (!fn(v[i]->word, arg))
			break;
	}
	free(v);
}
