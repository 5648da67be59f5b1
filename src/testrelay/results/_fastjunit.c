/*
 * An expat front for the JUnit reader that builds the common case in C.
 *
 * Most cases of a large JUnit file are `<testcase name classname time/>` with no
 * children. Handing each of them to Python (two handler calls, an attribute dict,
 * the record's constructor) costs more than parsing its bytes, so this parser
 * builds such a case's TestCase itself and appends it to the list the Python
 * reader named through `fast_cases()`. A case whose children are only result and
 * output elements is collected here and handed to the reader in one call; the
 * first case of each suite is offered to the reader's `sample()` as a dialect clue.
 * Everything else (a `status` or `disabled` attribute, a line or time that is not
 * a plain number, other children, a case outside the fast path) goes to the Python
 * handlers exactly as pyexpat would give it: element names as str, attributes as a
 * dict, text buffered until the next tag. The JUnit rules stay in Python; a case
 * built here equals the one the Python reader would build.
 *
 * The module also offers `tally()` (a suite's totals in one pass), `settle()` (model
 * records off the cycle collector's lists), and for the worker transport `pack()` /
 * `unpack()` (results as one bytes object and back) and `build_cases()` (TestCases
 * from rows of field values).
 *
 * The parser offers the part of pyexpat's parser interface that the readers use
 * (the three handlers, Parse, ParseFile, CurrentLineNumber/ColumnNumber) and has
 * expat_source's guards built in: no parameter entities, and any entity
 * declaration or external entity reference stops the parse with `Refused`.
 * Expat errors raise pyexpat.ExpatError; the caller reads such a file again
 * through pyexpat, so error messages and recovery are pyexpat's own.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <expat.h>
#include <stdint.h>
#include <string.h>

#define TEXT_FLUSH (1 << 17) /* buffered text is handed over at this size, as pyexpat's buffer_size */
#define READ_SIZE (1 << 17)

/* What configure() learnt about TestCase: its type and where each field lives. */
enum { F_NAME, F_CLASSNAME, F_SUITE, F_FILE, F_LINE, F_DURATION, F_RESULT,
       F_MESSAGE, F_DETAILS, F_STDOUT, F_STDERR, F_ATTEMPTS, N_FIELDS };
static const char *field_names[N_FIELDS] = {
    "name", "classname", "suite", "file", "line", "duration", "result",
    "message", "details", "stdout", "stderr", "attempts"};
static PyTypeObject *case_type = NULL;
static Py_ssize_t field_offset[N_FIELDS];
static PyObject *passed = NULL;      /* Result.PASSED */
static PyObject *other_results[3];   /* Result.FAILED, Result.ERROR, Result.SKIPPED, for tally() */
static PyObject *empty_str = NULL;   /* the default of message, details, stdout, stderr */
static PyObject *empty_tuple = NULL; /* the default of attempts */
static PyObject *refused_exc = NULL; /* raised when the document declares entities */
static PyObject *expat_error = NULL; /* pyexpat.ExpatError */

typedef struct {
    char *data;
    size_t len, cap;
} Buf;

static int buf_add(Buf *b, const char *s, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n) {
            if (cap > ((size_t)PY_SSIZE_T_MAX) / 2) {
                PyErr_NoMemory();
                return -1;
            }
            cap *= 2;
        }
        char *data = PyMem_Realloc(b->data, cap);
        if (data == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 0;
}

typedef struct {
    PyObject_HEAD
    XML_Parser parser;
    PyObject *start_handler, *end_handler, *text_handler;
    PyObject *cases;   /* list the fast path appends to, or NULL: fast path off */
    PyObject *suite;   /* the suite name put on those cases */
    PyObject *strings; /* dict interning class names and files */
    PyObject *close_case; /* Python's close_case(attrs, kids), for a held case whose children were collected */
    PyObject *close_parsed; /* the same with the attribute values read here: (attrs, kids, name, classname,
                               file, line, duration) */
    PyObject *sample;       /* Python's sample(attrs): offered the first case the fast path meets, as a clue */
    PyObject *kids;       /* the held case's children so far, [tag, attrs, [text]] each, or NULL */
    PyObject *kid_tag, *kid_attrs; /* the child being collected */
    Buf kid_text;
    int in_kid;
    long held_depth;
    PyObject *last_classname, *last_file; /* the interned str of the previous case's value */
    Buf last_classname_raw, last_file_raw;
    Buf text;     /* character data not yet handed over */
    Buf held;     /* the attributes of the held case: name\0value\0... */
    int held_count;
    Py_ssize_t held_at[8]; /* where the value of each KEYS attribute starts in `held`, or -1 */
    int holding;  /* a <testcase> start is held back: plain until shown otherwise */
    long depth;   /* elements open */
    long python_case_depth; /* depth of a testcase start given to Python and still open, else 0 */
    int failed;   /* a handler raised: its exception is set, nothing more is called */
    int refused;
    int parsing;
} FastParser;

/* ---- handing events to Python -------------------------------------------------------- */

/* A Python call's result as 0, or -1 when it raised (its exception stays set); the result is dropped. */
static int called(PyObject *result) {
    if (result == NULL)
        return -1;
    Py_DECREF(result);
    return 0;
}

static void stop(FastParser *self) {
    self->failed = 1;
    XML_StopParser(self->parser, XML_FALSE);
}

static int flush_text(FastParser *self) {
    if (self->text.len == 0)
        return 0;
    size_t n = self->text.len;
    self->text.len = 0;
    if (self->text_handler == NULL)
        return 0;
    PyObject *s = PyUnicode_DecodeUTF8(self->text.data, (Py_ssize_t)n, "strict");
    if (s == NULL)
        return -1;
    PyObject *r = PyObject_CallOneArg(self->text_handler, s);
    Py_DECREF(s);
    return called(r);
}

static PyObject *attrs_dict(const char **atts) {
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
    for (; atts[0] != NULL; atts += 2) {
        PyObject *k = PyUnicode_DecodeUTF8(atts[0], (Py_ssize_t)strlen(atts[0]), "strict");
        PyObject *v = k ? PyUnicode_DecodeUTF8(atts[1], (Py_ssize_t)strlen(atts[1]), "strict") : NULL;
        if (v == NULL || PyDict_SetItem(d, k, v) < 0) {
            Py_XDECREF(k);
            Py_XDECREF(v);
            Py_DECREF(d);
            return NULL;
        }
        Py_DECREF(k);
        Py_DECREF(v);
    }
    return d;
}

static int is_testcase(const char *name) {
    if (strcmp(name, "testcase") == 0)
        return 1;
    const char *colon = strrchr(name, ':');
    return colon != NULL && strcmp(colon + 1, "testcase") == 0;
}

static int call_start_obj(FastParser *self, PyObject *name, PyObject *attrs) {
    if (flush_text(self) < 0)
        return -1;
    if (self->start_handler == NULL)
        return 0;
    return called(PyObject_CallFunctionObjArgs(self->start_handler, name, attrs, NULL));
}

static int call_end_obj(FastParser *self, PyObject *name) {
    if (flush_text(self) < 0)
        return -1;
    if (self->end_handler == NULL)
        return 0;
    return called(PyObject_CallOneArg(self->end_handler, name));
}

static int call_start(FastParser *self, const char *name, const char **atts) {
    if (self->python_case_depth == 0 && is_testcase(name))
        self->python_case_depth = self->depth;
    if (self->start_handler == NULL)
        return flush_text(self);
    PyObject *n = PyUnicode_DecodeUTF8(name, (Py_ssize_t)strlen(name), "strict");
    if (n == NULL)
        return -1;
    PyObject *d = attrs_dict(atts);
    int rc = d == NULL ? -1 : call_start_obj(self, n, d);
    Py_DECREF(n);
    Py_XDECREF(d);
    return rc;
}

static int call_end(FastParser *self, const char *name) {
    if (self->python_case_depth == self->depth)
        self->python_case_depth = 0;
    if (self->end_handler == NULL)
        return flush_text(self);
    PyObject *n = PyUnicode_DecodeUTF8(name, (Py_ssize_t)strlen(name), "strict");
    if (n == NULL)
        return -1;
    int rc = call_end_obj(self, n);
    Py_DECREF(n);
    return rc;
}

/* ---- the held case ------------------------------------------------------------------- */

/* The attributes a case is read by; everything else about a case is Python's to read. */
enum { K_NAME, K_CLASSNAME, K_CLASS, K_FILE, K_LINE, K_TIME, K_STATUS, K_DISABLED, N_KEYS };
static const char *keys[N_KEYS] = {"name", "classname", "class", "file", "line", "time", "status", "disabled"};

static int key_of(const char *name) {
    for (int k = 0; k < N_KEYS; k++)
        if (name[0] == keys[k][0] && strcmp(name, keys[k]) == 0)
            return k;
    return -1;
}

static int hold(FastParser *self, const char **atts) {
    self->held.len = 0;
    self->held_count = 0;
    for (int k = 0; k < N_KEYS; k++)
        self->held_at[k] = -1;
    for (; atts[0] != NULL; atts += 2) {
        if (buf_add(&self->held, atts[0], strlen(atts[0]) + 1) < 0)
            return -1;
        int k = key_of(atts[0]);
        if (k >= 0)
            self->held_at[k] = (Py_ssize_t)self->held.len;
        if (buf_add(&self->held, atts[1], strlen(atts[1]) + 1) < 0)
            return -1;
        self->held_count++;
    }
    self->holding = 1;
    self->held_depth = self->depth;
    return 0;
}

/* The held attributes as expat's NULL-terminated name/value array, for giving the case to Python. */
static const char **held_atts(FastParser *self) {
    const char **atts = PyMem_Malloc(sizeof(char *) * (2 * (size_t)self->held_count + 1));
    if (atts == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    const char *p = self->held.data;
    for (int i = 0; i < 2 * self->held_count; i++) {
        atts[i] = p;
        p += strlen(p) + 1;
    }
    atts[2 * self->held_count] = NULL;
    return atts;
}

static int release_to_python(FastParser *self) {
    self->holding = 0;
    const char **atts = held_atts(self);
    if (atts == NULL)
        return -1;
    int rc = call_start(self, "testcase", atts);
    PyMem_Free(atts);
    return rc;
}

static const char *held_get(FastParser *self, int key) {
    return self->held_at[key] < 0 ? NULL : self->held.data + self->held_at[key];
}

/* A str for `raw`, interned through the reader's strings dict; the previous case's is reused as is. */
static PyObject *interned(FastParser *self, const char *raw, Buf *last_raw, PyObject **last) {
    size_t n = strlen(raw);
    if (*last != NULL && last_raw->len == n && memcmp(last_raw->data, raw, n) == 0) {
        Py_INCREF(*last);
        return *last;
    }
    PyObject *s = PyUnicode_DecodeUTF8(raw, (Py_ssize_t)n, "strict");
    if (s == NULL)
        return NULL;
    PyObject *kept = PyDict_SetDefault(self->strings, s, s); /* borrowed */
    Py_DECREF(s);
    if (kept == NULL)
        return NULL;
    last_raw->len = 0;
    if (buf_add(last_raw, raw, n) < 0)
        return NULL;
    Py_INCREF(kept);
    Py_XSETREF(*last, kept);
    Py_INCREF(kept);
    return kept;
}

/* Digits only, as int() reads them; anything else (signs, spaces, underscores) is Python's to read. */
static int plain_int(const char *s, long long *out) {
    size_t n = strlen(s);
    if (n == 0 || n > 18)
        return 0;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* `123`, `1.5`, `.5`, `2.` as float() reads them, in [0, 1e9); exponents, signs, commas are Python's. */
static int plain_time(const char *s, double *out) {
    size_t n = strlen(s);
    int digits = 0, dots = 0;
    if (n == 0 || n > 40)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] == '.' && ++dots == 1)
            continue;
        else
            return 0;
    }
    if (digits == 0)
        return 0;
    char *end = NULL;
    double v = PyOS_string_to_double(s, &end, NULL);
    if (v == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    if (end != s + n || !(v >= 0.0 && v < 1e9))
        return 0;
    *out = v;
    return 1;
}

/* Durations repeat (runners write milliseconds): the float of a time string seen lately is shared. */
#define TIME_CACHE 512
#define TIME_KEY 16
static struct {
    char key[TIME_KEY];
    size_t len;
    PyObject *value;
} time_cache[TIME_CACHE];

static int plain_time(const char *s, double *out);

/* The float for a `time` attribute: a new reference; NULL with no error set when the text is not a
 * plain number (Python reads it then), NULL with an error set on failure. */
static PyObject *duration_of(const char *raw) {
    size_t n = strlen(raw);
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n && i < TIME_KEY; i++)
        h = (h ^ (unsigned char)raw[i]) * 16777619u;
    h %= TIME_CACHE;
    if (n < TIME_KEY && time_cache[h].value != NULL && time_cache[h].len == n &&
        memcmp(time_cache[h].key, raw, n) == 0)
        return Py_NewRef(time_cache[h].value); /* only plain numbers are ever kept */
    double value;
    if (!plain_time(raw, &value))
        return NULL;
    PyObject *f = PyFloat_FromDouble(value);
    if (f == NULL || n >= TIME_KEY)
        return f;
    if (f == NULL)
        return NULL;
    memcpy(time_cache[h].key, raw, n);
    time_cache[h].len = n;
    Py_XSETREF(time_cache[h].value, Py_NewRef(f));
    return f;
}

static void set_field(PyObject *obj, int field, PyObject *value) {
    /* The slot is empty (fresh from tp_alloc): store a new reference, as the slot's setter would. */
    PyObject **slot = (PyObject **)((char *)obj + field_offset[field]);
    *slot = value;
}

/* 0-3 for Result.PASSED, FAILED, ERROR, SKIPPED; -1 for anything else. */
static int result_index(PyObject *value) {
    if (value == passed)
        return 0;
    for (int i = 0; i < 3; i++)
        if (value == other_results[i])
            return i + 1;
    return -1;
}

/* The frozen model record types (set by configure()). settle() may take them off the collector's lists:
 * being immutable, nothing can later be stored in them that would close a cycle. pack() and unpack()
 * carry them field by field. Each field is an object slot, as for TestCase. */
#define MAX_RECORD_TYPES 8
#define MAX_RECORD_FIELDS 16
typedef struct {
    PyTypeObject *type;
    int fields;
    Py_ssize_t offsets[MAX_RECORD_FIELDS];
} RecordType;
static RecordType record_types[MAX_RECORD_TYPES];
static int n_record_types = 0;

static int record_kind(PyTypeObject *type) {
    for (int i = 0; i < n_record_types; i++)
        if (record_types[i].type == type)
            return i;
    return -1;
}

/* The number of the type's slots, their offsets in `offsets`; -1 with an exception when a slot is not a
 * plain object slot inside its instances, there are more than MAX_RECORD_FIELDS, or (with `expected`)
 * the names differ. */
static int slot_offsets(PyTypeObject *type, const char **expected, int expected_count, Py_ssize_t *offsets) {
    PyObject *slots = PyObject_GetAttrString((PyObject *)type, "__slots__");
    PyObject *slot_tuple = slots ? PySequence_Tuple(slots) : NULL;
    Py_XDECREF(slots);
    if (slot_tuple == NULL)
        return -1;
    Py_ssize_t n = PyTuple_GET_SIZE(slot_tuple);
    int ok = n <= MAX_RECORD_FIELDS && (expected == NULL || n == expected_count) && type->tp_itemsize == 0;
    for (Py_ssize_t i = 0; ok && i < n; i++) {
        PyObject *name = PyTuple_GET_ITEM(slot_tuple, i);
        ok = PyUnicode_Check(name) &&
             (expected == NULL || PyUnicode_CompareWithASCIIString(name, expected[i]) == 0);
        /* Each field must be an object slot of this very type, inside its instances. */
        PyObject *descr = ok ? PyDict_GetItemWithError(type->tp_dict, name) : NULL;
        ok = descr != NULL && Py_IS_TYPE(descr, &PyMemberDescr_Type);
        if (ok) {
            PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
            ok = member->type == T_OBJECT_EX && !(member->flags & READONLY) && member->offset > 0 &&
                 member->offset + (Py_ssize_t)sizeof(PyObject *) <= type->tp_basicsize;
            offsets[i] = member->offset;
        }
    }
    Py_DECREF(slot_tuple);
    if (!ok) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_TypeError, "%s's slots are not plain fields this module can fill", type->tp_name);
        return -1;
    }
    return (int)n;
}

/* Taking records off the cycle collector's lists. The collector is paused while a run is read, and its
 * first collection after that would visit every record read (28 ms for 100,000 cases). A frozen record
 * or a tuple whose contents are all atomic (str, numbers, None) or already off the lists cannot close a
 * cycle that could become garbage: CPython applies the same rule to tuples, only at a collection. */
static void settle_in_place(PyObject *obj);

static int visit_unsettled(PyObject *o, void *own_type) {
    /* A record's own class is visited too (heap types are); it and the Result members live as long as the
     * program, so a reference to them closes no cycle that could become garbage. */
    if (o == (PyObject *)own_type || !PyObject_IS_GC(o) || !PyObject_GC_IsTracked(o) || result_index(o) >= 0)
        return 0;
    if (PyTuple_CheckExact(o)) { /* a tuple field (a file's suites, as unpickled): settled on the way */
        settle_in_place(o);
        return PyObject_GC_IsTracked(o);
    }
    return 1;
}

static void settle_in_place(PyObject *obj) {
    PyTypeObject *type = Py_TYPE(obj);
    if (PyObject_IS_GC(obj) && PyObject_GC_IsTracked(obj) && type->tp_traverse != NULL &&
        (PyTuple_CheckExact(obj) || record_kind(type) >= 0) && type->tp_traverse(obj, visit_unsettled, type) == 0)
        PyObject_GC_UnTrack(obj);
}

/* settle(record): the record (a tuple or a configured record type), off the collector's lists when nothing
 * it refers to is on them. */
static PyObject *settle(PyObject *module, PyObject *obj) {
    settle_in_place(obj);
    return Py_NewRef(obj);
}

/* The five values Python's close_case() reads from a case's attributes: name, class name and file
 * (interned), line and duration. 1 with the new references in `out`; 0 with nothing made when a line or
 * time is not a plain number (Python reads it then); -1 on error. */
enum { V_NAME, V_CLASSNAME, V_FILE, V_LINE, V_DURATION, N_VALUES };

static int read_held(FastParser *self, PyObject *out[N_VALUES]) {
    const char *line_raw = held_get(self, K_LINE);
    const char *time_raw = held_get(self, K_TIME);
    long long line = 0;
    if (line_raw != NULL && !plain_int(line_raw, &line))
        return 0;
    PyObject *duration = time_raw != NULL ? duration_of(time_raw) : PyFloat_FromDouble(0.0);
    if (duration == NULL)
        return PyErr_Occurred() ? -1 : 0;
    const char *name_raw = held_get(self, K_NAME);
    const char *class_raw = held_get(self, K_CLASSNAME);
    if (class_raw == NULL)
        class_raw = held_get(self, K_CLASS);
    const char *file_raw = held_get(self, K_FILE);

    memset(out, 0, sizeof(PyObject *) * N_VALUES);
    out[V_NAME] = PyUnicode_DecodeUTF8(name_raw ? name_raw : "", name_raw ? (Py_ssize_t)strlen(name_raw) : 0,
                                       "strict");
    if (out[V_NAME] != NULL)
        out[V_CLASSNAME] =
            interned(self, class_raw ? class_raw : "", &self->last_classname_raw, &self->last_classname);
    if (out[V_CLASSNAME] != NULL)
        out[V_FILE] = file_raw != NULL ? interned(self, file_raw, &self->last_file_raw, &self->last_file)
                                       : Py_NewRef(Py_None);
    if (out[V_FILE] != NULL)
        out[V_LINE] = line_raw != NULL ? PyLong_FromLongLong(line) : Py_NewRef(Py_None);
    if (out[V_LINE] == NULL) {
        for (int i = 0; i < N_VALUES; i++)
            Py_XDECREF(out[i]);
        Py_DECREF(duration);
        return -1;
    }
    out[V_DURATION] = duration;
    return 1;
}

/* The held case as a TestCase, when it is plain; 0 with nothing built when Python must read it. */
static int build_held(FastParser *self) {
    if (held_get(self, K_STATUS) != NULL || held_get(self, K_DISABLED) != NULL)
        return 0;
    PyObject *v[N_VALUES];
    int got = read_held(self, v);
    if (got <= 0)
        return got;
    PyObject *record = case_type->tp_alloc(case_type, 0);
    if (record == NULL) {
        for (int i = 0; i < N_VALUES; i++)
            Py_DECREF(v[i]);
        return -1;
    }
    PyObject *name = v[V_NAME], *classname = v[V_CLASSNAME], *file = v[V_FILE], *line_obj = v[V_LINE],
             *duration_obj = v[V_DURATION];
    set_field(record, F_NAME, name);
    set_field(record, F_CLASSNAME, classname);
    set_field(record, F_SUITE, Py_NewRef(self->suite));
    set_field(record, F_FILE, file);
    set_field(record, F_LINE, line_obj);
    set_field(record, F_DURATION, duration_obj);
    set_field(record, F_RESULT, Py_NewRef(passed));
    set_field(record, F_MESSAGE, Py_NewRef(empty_str));
    set_field(record, F_DETAILS, Py_NewRef(empty_str));
    set_field(record, F_STDOUT, Py_NewRef(empty_str));
    set_field(record, F_STDERR, Py_NewRef(empty_str));
    set_field(record, F_ATTEMPTS, Py_NewRef(empty_tuple));
    /* Every field was made here as str, int, float, None or a shared constant: nothing to look through. */
    if (PyUnicode_CheckExact(self->suite))
        PyObject_GC_UnTrack(record);
    else
        settle_in_place(record);
    int rc = PyList_Append(self->cases, record);
    Py_DECREF(record);
    return rc < 0 ? -1 : 1;
}

/* ---- children of the held case ---------------------------------------------------------- */

/* The children Python reads as result or output text (junit.py's _CASE_TEXT), collected here when they
 * have no children of their own: the case then reaches Python in one close_case() call. */
static int is_kid_tag(const char *name) {
    static const char *tags[] = {"failure", "error", "skipped", "disabled", "system-out", "system-err", NULL};
    for (const char **t = tags; *t != NULL; t++)
        if (strcmp(name, *t) == 0)
            return 1;
    return 0;
}

static int open_kid(FastParser *self, const char *name, const char **atts) {
    if (self->kids == NULL && (self->kids = PyList_New(0)) == NULL)
        return -1;
    self->kid_tag = PyUnicode_DecodeUTF8(name, (Py_ssize_t)strlen(name), "strict");
    self->kid_attrs = self->kid_tag ? attrs_dict(atts) : NULL;
    if (self->kid_attrs == NULL)
        return -1;
    self->kid_text.len = 0;
    self->in_kid = 1;
    return 0;
}

static PyObject *kid_parts(FastParser *self) {
    if (self->kid_text.len == 0)
        return PyList_New(0);
    PyObject *text = PyUnicode_DecodeUTF8(self->kid_text.data, (Py_ssize_t)self->kid_text.len, "strict");
    if (text == NULL)
        return NULL;
    PyObject *parts = PyList_New(1);
    if (parts == NULL) {
        Py_DECREF(text);
        return NULL;
    }
    PyList_SET_ITEM(parts, 0, text);
    return parts;
}

static int close_kid(FastParser *self) {
    self->in_kid = 0;
    PyObject *parts = kid_parts(self);
    PyObject *kid = parts ? PyList_New(3) : NULL;
    if (kid == NULL) {
        Py_XDECREF(parts);
        Py_CLEAR(self->kid_tag);
        Py_CLEAR(self->kid_attrs);
        return -1;
    }
    PyList_SET_ITEM(kid, 0, self->kid_tag); /* the references move into the list */
    PyList_SET_ITEM(kid, 1, self->kid_attrs);
    PyList_SET_ITEM(kid, 2, parts);
    self->kid_tag = self->kid_attrs = NULL;
    int rc = PyList_Append(self->kids, kid);
    Py_DECREF(kid);
    return rc;
}

static void drop_kids(FastParser *self) {
    Py_CLEAR(self->kids);
    Py_CLEAR(self->kid_tag);
    Py_CLEAR(self->kid_attrs);
    self->in_kid = 0;
}

static PyObject *held_dict(FastParser *self) {
    const char **atts = held_atts(self);
    if (atts == NULL)
        return NULL;
    PyObject *d = attrs_dict(atts);
    PyMem_Free(atts);
    return d;
}

/* The held case turned out not to fit: give Python what it would have seen so far, as it came. */
static int give_up(FastParser *self) {
    long depth = self->depth;
    self->depth = self->held_depth;
    int rc = release_to_python(self);
    self->depth = self->held_depth + 1;
    Py_ssize_t n = self->kids ? PyList_GET_SIZE(self->kids) : 0;
    for (Py_ssize_t i = 0; rc == 0 && i < n; i++) {
        PyObject *kid = PyList_GET_ITEM(self->kids, i);
        PyObject *parts = PyList_GET_ITEM(kid, 2);
        rc = call_start_obj(self, PyList_GET_ITEM(kid, 0), PyList_GET_ITEM(kid, 1));
        if (rc == 0 && PyList_GET_SIZE(parts) && self->text_handler != NULL)
            rc = called(PyObject_CallOneArg(self->text_handler, PyList_GET_ITEM(parts, 0)));
        if (rc == 0)
            rc = call_end_obj(self, PyList_GET_ITEM(kid, 0));
    }
    if (rc == 0 && self->in_kid) {
        rc = call_start_obj(self, self->kid_tag, self->kid_attrs);
        /* Its text so far waits in the buffer for the handler Python has just set, as if read now. */
        if (rc == 0 && self->text_handler != NULL)
            rc = buf_add(&self->text, self->kid_text.data, self->kid_text.len);
    }
    self->depth = depth;
    drop_kids(self);
    return rc;
}

static int close_collected(FastParser *self) {
    self->holding = 0;
    PyObject *attrs = held_dict(self);
    PyObject *r = NULL;
    if (attrs != NULL) {
        PyObject *v[N_VALUES];
        int got = read_held(self, v);
        if (got == 1) { /* the attribute values are read here already, as close_case() would read them */
            PyObject *args[2 + N_VALUES] = {attrs, self->kids, v[V_NAME], v[V_CLASSNAME], v[V_FILE], v[V_LINE],
                                            v[V_DURATION]};
            r = PyObject_Vectorcall(self->close_parsed, args, 2 + N_VALUES, NULL);
            for (int i = 0; i < N_VALUES; i++)
                Py_DECREF(v[i]);
        } else if (got == 0) {
            r = PyObject_CallFunctionObjArgs(self->close_case, attrs, self->kids, NULL);
        }
    }
    Py_XDECREF(attrs);
    drop_kids(self);
    return called(r);
}

/* The frame's first case goes to Python's sample() once, then is read here like any other. */
static int offer_sample(FastParser *self, const char **atts) {
    PyObject *sample = self->sample;
    self->sample = NULL;
    PyObject *attrs = attrs_dict(atts);
    PyObject *r = attrs ? PyObject_CallOneArg(sample, attrs) : NULL;
    Py_XDECREF(attrs);
    Py_DECREF(sample);
    return called(r);
}

/* ---- expat callbacks ------------------------------------------------------------------ */

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **atts) {
    FastParser *self = data;
    if (self->failed)
        return;
    if (self->holding) {
        if (!self->in_kid && self->close_case != NULL && is_kid_tag(name)) {
            self->depth++;
            if (open_kid(self, name, atts) < 0)
                stop(self);
            return;
        }
        /* Any other child, or a grandchild: the case is Python's from its start on. */
        self->holding = 0;
        if (give_up(self) < 0) {
            stop(self);
            return;
        }
    } else if (self->cases != NULL && self->python_case_depth == 0 && self->text_handler == NULL &&
               strcmp(name, "testcase") == 0) {
        if (self->sample != NULL && offer_sample(self, atts) < 0) {
            stop(self);
            return;
        }
        self->depth++;
        if (hold(self, atts) < 0)
            stop(self);
        return;
    }
    self->depth++;
    if (call_start(self, name, atts) < 0)
        stop(self);
}

static void XMLCALL on_end(void *data, const XML_Char *name) {
    FastParser *self = data;
    if (self->failed)
        return;
    if (self->holding && self->in_kid) {
        if (close_kid(self) < 0)
            stop(self);
        self->depth--;
        return;
    }
    if (self->holding && self->kids != NULL) {
        if (close_collected(self) < 0)
            stop(self);
        self->depth--;
        return;
    }
    if (self->holding) {
        self->holding = 0;
        int built = build_held(self);
        if (built == 0)
            built = release_to_python(self) < 0 ? -1 : 0;
        if (built < 0) {
            stop(self);
            return;
        }
        if (built == 1) {
            self->depth--;
            return;
        }
    }
    if (call_end(self, name) < 0)
        stop(self);
    self->depth--;
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len) {
    FastParser *self = data;
    if (self->failed)
        return;
    if (self->holding) { /* only a collected child's text counts; Python drops what lies between */
        if (self->in_kid && buf_add(&self->kid_text, s, (size_t)len) < 0)
            stop(self);
        return;
    }
    if (self->text_handler == NULL)
        return;
    if (buf_add(&self->text, s, (size_t)len) < 0 || (self->text.len >= TEXT_FLUSH && flush_text(self) < 0))
        stop(self);
}

static void refuse(FastParser *self) {
    if (!self->failed) {
        self->refused = 1;
        self->failed = 1;
        XML_StopParser(self->parser, XML_FALSE);
    }
}

static void XMLCALL on_entity_decl(void *data, const XML_Char *name, int is_param, const XML_Char *value,
                                   int value_len, const XML_Char *base, const XML_Char *system_id,
                                   const XML_Char *public_id, const XML_Char *notation) {
    refuse(data);
}

static int XMLCALL on_external_entity(XML_Parser parser, const XML_Char *context, const XML_Char *base,
                                      const XML_Char *system_id, const XML_Char *public_id) {
    refuse(XML_GetUserData(parser));
    return XML_STATUS_ERROR;
}

/* ---- the Python type ------------------------------------------------------------------ */

/* Expat salts its hash tables against collision floods with a value it draws from the system for every
 * parser: a system call per file read. One random salt per process, drawn at import, is what pyexpat does. */
static unsigned long hash_salt = 0;

static int setup(FastParser *self) {
    self->parser = XML_ParserCreate(NULL);
    if (self->parser == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (hash_salt != 0)
        XML_SetHashSalt(self->parser, hash_salt);
    XML_SetUserData(self->parser, self);
    XML_SetElementHandler(self->parser, on_start, on_end);
    XML_SetCharacterDataHandler(self->parser, on_text);
    XML_SetEntityDeclHandler(self->parser, on_entity_decl);
    XML_SetExternalEntityRefHandler(self->parser, on_external_entity);
    XML_SetParamEntityParsing(self->parser, XML_PARAM_ENTITY_PARSING_NEVER);
    return 0;
}

static PyObject *FastParser_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    if (case_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure() has not been called");
        return NULL;
    }
    if (PyTuple_GET_SIZE(args) || (kwds && PyDict_GET_SIZE(kwds))) {
        PyErr_SetString(PyExc_TypeError, "FastParser() takes no arguments");
        return NULL;
    }
    FastParser *self = (FastParser *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    if (setup(self) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int FastParser_traverse(FastParser *self, visitproc visit, void *arg) {
    Py_VISIT(self->start_handler);
    Py_VISIT(self->end_handler);
    Py_VISIT(self->text_handler);
    Py_VISIT(self->cases);
    Py_VISIT(self->suite);
    Py_VISIT(self->strings);
    Py_VISIT(self->close_case);
    Py_VISIT(self->close_parsed);
    Py_VISIT(self->sample);
    Py_VISIT(self->kids);
    Py_VISIT(self->kid_tag);
    Py_VISIT(self->kid_attrs);
    return 0;
}

static int FastParser_clear(FastParser *self) {
    Py_CLEAR(self->start_handler);
    Py_CLEAR(self->end_handler);
    Py_CLEAR(self->text_handler);
    Py_CLEAR(self->cases);
    Py_CLEAR(self->suite);
    Py_CLEAR(self->strings);
    Py_CLEAR(self->last_classname);
    Py_CLEAR(self->last_file);
    Py_CLEAR(self->close_case);
    Py_CLEAR(self->close_parsed);
    Py_CLEAR(self->sample);
    drop_kids(self);
    return 0;
}

static void FastParser_dealloc(FastParser *self) {
    PyObject_GC_UnTrack(self);
    FastParser_clear(self);
    if (self->parser != NULL)
        XML_ParserFree(self->parser);
    PyMem_Free(self->text.data);
    PyMem_Free(self->held.data);
    PyMem_Free(self->kid_text.data);
    PyMem_Free(self->last_classname_raw.data);
    PyMem_Free(self->last_file_raw.data);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *raise_expat_error(FastParser *self) {
    enum XML_Error code = XML_GetErrorCode(self->parser);
    unsigned long line = XML_GetCurrentLineNumber(self->parser);
    unsigned long column = XML_GetCurrentColumnNumber(self->parser);
    PyObject *message = PyUnicode_FromFormat("%s: line %lu, column %lu", XML_ErrorString(code), line, column);
    if (message == NULL)
        return NULL;
    PyObject *exc = PyObject_CallOneArg(expat_error, message);
    Py_DECREF(message);
    if (exc == NULL)
        return NULL;
    PyObject *code_obj = PyLong_FromLong((long)code);
    PyObject *line_obj = PyLong_FromUnsignedLong(line);
    PyObject *offset_obj = PyLong_FromUnsignedLong(column);
    if (code_obj && line_obj && offset_obj && PyObject_SetAttrString(exc, "code", code_obj) == 0 &&
        PyObject_SetAttrString(exc, "lineno", line_obj) == 0 && PyObject_SetAttrString(exc, "offset", offset_obj) == 0)
        PyErr_SetObject(expat_error, exc);
    Py_XDECREF(code_obj);
    Py_XDECREF(line_obj);
    Py_XDECREF(offset_obj);
    Py_DECREF(exc);
    return NULL;
}

/* One expat call; on its end the held case (none can be held between calls at a document's end) and text. */
static PyObject *feed(FastParser *self, const char *data, Py_ssize_t len, int final) {
    enum XML_Status status = XML_STATUS_OK;
    while (status == XML_STATUS_OK) {
        int chunk = len > (1 << 30) ? (1 << 30) : (int)len;
        int last = final && chunk == len;
        status = XML_Parse(self->parser, data, chunk, last);
        data += chunk;
        len -= chunk;
        if (len == 0)
            break;
    }
    if (self->refused) {
        PyErr_SetNone(refused_exc);
        return NULL;
    }
    if (self->failed)
        return NULL; /* a handler's exception is set */
    if (status != XML_STATUS_OK)
        return raise_expat_error(self);
    if (final && flush_text(self) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *FastParser_Parse(FastParser *self, PyObject *args) {
    Py_buffer view;
    int final = 0;
    if (!PyArg_ParseTuple(args, "y*|p:Parse", &view, &final))
        return NULL;
    if (self->parsing) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_RuntimeError, "parser is already parsing");
        return NULL;
    }
    self->parsing = 1;
    PyObject *r = feed(self, view.buf, view.len, final);
    self->parsing = 0;
    PyBuffer_Release(&view);
    return r;
}

static PyObject *FastParser_ParseFile(FastParser *self, PyObject *file) {
    if (self->parsing) {
        PyErr_SetString(PyExc_RuntimeError, "parser is already parsing");
        return NULL;
    }
    PyObject *read = PyObject_GetAttrString(file, "read");
    if (read == NULL)
        return NULL;
    PyObject *size = PyLong_FromLong(READ_SIZE);
    if (size == NULL) {
        Py_DECREF(read);
        return NULL;
    }
    self->parsing = 1;
    PyObject *r = NULL;
    for (;;) {
        PyObject *chunk = PyObject_CallOneArg(read, size);
        if (chunk == NULL)
            break;
        if (!PyBytes_Check(chunk)) {
            PyErr_Format(PyExc_TypeError, "read() returned %.100s, not bytes", Py_TYPE(chunk)->tp_name);
            Py_DECREF(chunk);
            break;
        }
        Py_ssize_t n = PyBytes_GET_SIZE(chunk);
        r = feed(self, PyBytes_AS_STRING(chunk), n, n == 0);
        Py_DECREF(chunk);
        if (r == NULL || n == 0)
            break;
        Py_DECREF(r);
        r = NULL;
    }
    self->parsing = 0;
    Py_DECREF(size);
    Py_DECREF(read);
    return r;
}

static PyObject *FastParser_fast_cases(FastParser *self, PyObject *args) {
    PyObject *cases, *suite = NULL, *strings = NULL, *close_case = NULL, *close_parsed = NULL, *sample = NULL;
    if (!PyArg_ParseTuple(args, "O|UO!OOO:fast_cases", &cases, &suite, &PyDict_Type, &strings, &close_case,
                          &close_parsed, &sample))
        return NULL;
    if (cases == Py_None) {
        Py_CLEAR(self->cases);
        Py_CLEAR(self->close_case);
        Py_CLEAR(self->close_parsed);
        Py_CLEAR(self->sample);
        Py_RETURN_NONE;
    }
    if (sample == Py_None)
        sample = NULL;
    if (sample != NULL && !PyCallable_Check(sample)) {
        PyErr_SetString(PyExc_TypeError, "sample must be callable");
        return NULL;
    }
    Py_XINCREF(sample);
    Py_XSETREF(self->sample, sample);
    if (close_case == Py_None)
        close_case = NULL;
    if (close_parsed == Py_None)
        close_parsed = NULL;
    /* Children are collected only for a reader that takes both forms of a finished case. */
    if ((close_case == NULL) != (close_parsed == NULL) || (close_case && !PyCallable_Check(close_case)) ||
        (close_parsed && !PyCallable_Check(close_parsed))) {
        PyErr_SetString(PyExc_TypeError, "close_case and close_parsed: both callable, or neither");
        return NULL;
    }
    Py_XINCREF(close_case);
    Py_XSETREF(self->close_case, close_case);
    Py_XINCREF(close_parsed);
    Py_XSETREF(self->close_parsed, close_parsed);
    if (!PyList_Check(cases) || suite == NULL || strings == NULL) {
        PyErr_SetString(PyExc_TypeError, "fast_cases(list, str, dict) or fast_cases(None)");
        return NULL;
    }
    if (strings != self->strings) { /* the remembered strings came from another dict */
        Py_CLEAR(self->last_classname);
        Py_CLEAR(self->last_file);
    }
    Py_INCREF(cases);
    Py_XSETREF(self->cases, cases);
    Py_INCREF(suite);
    Py_XSETREF(self->suite, suite);
    Py_INCREF(strings);
    Py_XSETREF(self->strings, strings);
    Py_RETURN_NONE;
}

static PyMethodDef FastParser_methods[] = {
    {"Parse", (PyCFunction)FastParser_Parse, METH_VARARGS, "Parse(data, final=False): feed bytes."},
    {"ParseFile", (PyCFunction)FastParser_ParseFile, METH_O, "ParseFile(file): feed a binary file to its end."},
    {"fast_cases", (PyCFunction)FastParser_fast_cases, METH_VARARGS,
     "fast_cases(cases, suite, strings, close_case=None, close_parsed=None, sample=None): build plain cases "
     "into `cases`; with close_case(attrs, kids) and close_parsed(attrs, kids, name, classname, file, line, "
     "duration), hand over a case whose children are only result and output elements in one call; with "
     "sample(attrs), offer it the first case met; fast_cases(None): give every case to the handlers."},
    {NULL}};

static PyObject **handler_slot(FastParser *self, void *which) {
    switch ((int)(Py_intptr_t)which) {
    case 0:
        return &self->start_handler;
    case 1:
        return &self->end_handler;
    default:
        return &self->text_handler;
    }
}

static PyObject *get_handler(FastParser *self, void *which) {
    PyObject *h = *handler_slot(self, which);
    return Py_NewRef(h ? h : Py_None);
}

static int set_handler(FastParser *self, PyObject *value, void *which) {
    if (value == NULL || value == Py_None) {
        value = NULL;
    } else if (!PyCallable_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "handler must be callable or None");
        return -1;
    }
    if ((int)(Py_intptr_t)which == 2 && flush_text(self) < 0) /* text so far goes to the handler it was read for */
        return -1;
    Py_XINCREF(value);
    Py_XSETREF(*handler_slot(self, which), value);
    return 0;
}

static PyObject *get_line(FastParser *self, void *closure) {
    return PyLong_FromUnsignedLong(XML_GetCurrentLineNumber(self->parser));
}

static PyObject *get_column(FastParser *self, void *closure) {
    return PyLong_FromUnsignedLong(XML_GetCurrentColumnNumber(self->parser));
}

static PyGetSetDef FastParser_getset[] = {
    {"StartElementHandler", (getter)get_handler, (setter)set_handler, NULL, (void *)0},
    {"EndElementHandler", (getter)get_handler, (setter)set_handler, NULL, (void *)1},
    {"CharacterDataHandler", (getter)get_handler, (setter)set_handler, NULL, (void *)2},
    {"CurrentLineNumber", (getter)get_line, NULL, NULL, NULL},
    {"CurrentColumnNumber", (getter)get_column, NULL, NULL, NULL},
    {NULL}};

static PyTypeObject FastParserType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "testrelay.results._fastjunit.FastParser",
    .tp_basicsize = sizeof(FastParser),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "An expat parser for JUnit documents that builds plain test cases in C.",
    .tp_new = FastParser_new,
    .tp_dealloc = (destructor)FastParser_dealloc,
    .tp_traverse = (traverseproc)FastParser_traverse,
    .tp_clear = (inquiry)FastParser_clear,
    .tp_methods = FastParser_methods,
    .tp_getset = FastParser_getset,
};

/* ---- configure(): learn the record type ------------------------------------------------ */

static PyObject *configure(PyObject *module, PyObject *args) {
    PyTypeObject *type;
    PyObject *passed_obj, *refused, *error, *others = NULL, *frozen = NULL;
    if (!PyArg_ParseTuple(args, "O!OOO|O!O!:configure", &PyType_Type, &type, &passed_obj, &refused, &error,
                          &PyTuple_Type, &others, &PyTuple_Type, &frozen))
        return NULL;
    if (others != NULL && PyTuple_GET_SIZE(others) != 3) {
        PyErr_SetString(PyExc_TypeError, "configure(): the other results are (FAILED, ERROR, SKIPPED)");
        return NULL;
    }
    Py_ssize_t offsets[MAX_RECORD_FIELDS];
    if (slot_offsets(type, field_names, N_FIELDS, offsets) < 0) {
        PyErr_Clear();
        PyErr_SetString(PyExc_TypeError, "the record type's slots are not the TestCase fields this module knows");
        return NULL;
    }
    RecordType kinds[MAX_RECORD_TYPES];
    Py_ssize_t n_kinds = frozen == NULL ? 0 : PyTuple_GET_SIZE(frozen);
    if (n_kinds > MAX_RECORD_TYPES) {
        PyErr_SetString(PyExc_TypeError, "configure(): too many record types");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n_kinds; i++) {
        PyObject *kind = PyTuple_GET_ITEM(frozen, i);
        if (!PyType_Check(kind) || !PyType_HasFeature((PyTypeObject *)kind, Py_TPFLAGS_HAVE_GC)) {
            PyErr_SetString(PyExc_TypeError, "configure(): the record types must be classes with slots");
            return NULL;
        }
        kinds[i].type = (PyTypeObject *)kind;
        kinds[i].fields = slot_offsets(kinds[i].type, NULL, 0, kinds[i].offsets);
        if (kinds[i].fields < 0)
            return NULL;
    }
    memcpy(field_offset, offsets, sizeof field_offset);
    Py_INCREF(type);
    Py_XSETREF(case_type, type);
    Py_INCREF(passed_obj);
    Py_XSETREF(passed, passed_obj);
    Py_INCREF(refused);
    Py_XSETREF(refused_exc, refused);
    Py_INCREF(error);
    Py_XSETREF(expat_error, error);
    for (int i = 0; i < n_record_types; i++)
        Py_DECREF(record_types[i].type);
    for (Py_ssize_t i = 0; i < n_kinds; i++) {
        Py_INCREF(kinds[i].type);
        record_types[i] = kinds[i];
    }
    n_record_types = (int)n_kinds;
    for (int i = 0; others != NULL && i < 3; i++) {
        Py_INCREF(PyTuple_GET_ITEM(others, i));
        Py_XSETREF(other_results[i], PyTuple_GET_ITEM(others, i));
    }
    Py_RETURN_NONE;
}

/* TestCases from rows of their field values in order, as the worker transport sends them: the same
 * direct slot filling as a plain case, instead of one Python constructor call per case. */
static PyObject *build_cases(PyObject *module, PyObject *rows) {
    if (case_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure() has not been called");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(rows, "build_cases() needs a sequence of tuples");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(n);
    for (Py_ssize_t i = 0; out != NULL && i < n; i++) {
        PyObject *row = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyTuple_CheckExact(row) || PyTuple_GET_SIZE(row) != N_FIELDS) {
            PyErr_Format(PyExc_TypeError, "row %zd is not a tuple of the %d TestCase fields", i, N_FIELDS);
            Py_CLEAR(out);
            break;
        }
        PyObject *record = case_type->tp_alloc(case_type, 0);
        if (record == NULL) {
            Py_CLEAR(out);
            break;
        }
        for (int f = 0; f < N_FIELDS; f++)
            set_field(record, f, Py_NewRef(PyTuple_GET_ITEM(row, f)));
        settle_in_place(record);
        PyList_SET_ITEM(out, i, record);
    }
    Py_DECREF(seq);
    return out;
}

/* What Totals needs of a suite's cases, in one pass: (tests, passed, failed, errors, skipped, duration,
 * any attempts), the durations added in order as Python adds them; None when a case is not an exact
 * TestCase with a float duration and one of the four results, for Python's own count to decide. */
static PyObject *tally(PyObject *module, PyObject *cases) {
    if (case_type == NULL || other_results[0] == NULL)
        Py_RETURN_NONE;
    PyObject *seq = PySequence_Fast(cases, "tally() needs a sequence of TestCase");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), counts[4] = {0, 0, 0, 0};
    double duration = 0.0;
    int retried = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PySequence_Fast_GET_ITEM(seq, i);
        if (Py_TYPE(c) != case_type)
            goto other;
        PyObject *result = *(PyObject **)((char *)c + field_offset[F_RESULT]);
        PyObject *d = *(PyObject **)((char *)c + field_offset[F_DURATION]);
        PyObject *attempts = *(PyObject **)((char *)c + field_offset[F_ATTEMPTS]);
        if (result == NULL || d == NULL || attempts == NULL || !PyFloat_CheckExact(d))
            goto other;
        if (result == passed)
            counts[0]++;
        else if (result == other_results[0])
            counts[1]++;
        else if (result == other_results[1])
            counts[2]++;
        else if (result == other_results[2])
            counts[3]++;
        else
            goto other;
        duration += PyFloat_AS_DOUBLE(d);
        if (!PyTuple_CheckExact(attempts) || PyTuple_GET_SIZE(attempts) > 0)
            retried = 1;
    }
    Py_DECREF(seq);
    return Py_BuildValue("nnnnndO", n, counts[0], counts[1], counts[2], counts[3], duration,
                         retried ? Py_True : Py_False);
other:
    Py_DECREF(seq);
    Py_RETURN_NONE;
}

/* ---- the worker transport: results as one bytes object ------------------------------------------ */

/* Each value is one tag byte, then its data; a record is its type's number in `record_types`, then its
 * fields in slot order. The packer writes only values it can give back exactly, and says None for anything
 * else (a lone surrogate, a huge number, another type), for the caller to send another way. Bytes go
 * between processes of one install only (a worker and its parent), so numbers are in this machine's byte
 * order. */
enum { PK_NONE, PK_EMPTY_STR, PK_STR, PK_REF, PK_INT, PK_FLOAT, PK_RESULT, PK_EMPTY_TUPLE,
       PK_TUPLE, PK_LIST, PK_RECORD, PK_TRUE, PK_FALSE };
static const char pack_magic[4] = {'T', 'R', 'v', '1'};
#define PACK_RECENT 8 /* strings remembered by identity: class, suite and host names repeat */
#define PACK_DEPTH 32 /* a run's results nest five deep; deeper is not theirs */

typedef struct {
    Buf out;
    PyObject *recent[PACK_RECENT];
    uint32_t recent_index[PACK_RECENT];
    int recent_next;
    uint32_t strings; /* strings written so far: the index the next one gets */
} Packer;

static int pack_bytes(Packer *p, const void *data, size_t n) { return buf_add(&p->out, data, n); }

static int pack_tag(Packer *p, unsigned char tag) { return pack_bytes(p, &tag, 1); }

static int pack_count(Packer *p, unsigned char tag, Py_ssize_t n) {
    if ((size_t)n > UINT32_MAX)
        return 0;
    uint32_t count = (uint32_t)n;
    return pack_tag(p, tag) < 0 || pack_bytes(p, &count, sizeof count) < 0 ? -1 : 1;
}

static int pack_str(Packer *p, PyObject *value, int remember) {
    if (PyUnicode_GET_LENGTH(value) == 0)
        return pack_tag(p, PK_EMPTY_STR) < 0 ? -1 : 1;
    for (int i = 0; i < PACK_RECENT; i++) {
        if (p->recent[i] == value) {
            uint32_t index = p->recent_index[i];
            return pack_tag(p, PK_REF) < 0 || pack_bytes(p, &index, sizeof index) < 0 ? -1 : 1;
        }
    }
    Py_ssize_t n;
    const char *utf8 = PyUnicode_AsUTF8AndSize(value, &n);
    if (utf8 == NULL) { /* a lone surrogate: not UTF-8, left to the general way */
        PyErr_Clear();
        return 0;
    }
    int r = pack_count(p, PK_STR, n);
    if (r <= 0)
        return r;
    if (pack_bytes(p, utf8, (size_t)n) < 0)
        return -1;
    if (remember) { /* the object stays alive in what is being packed while the packer runs */
        p->recent[p->recent_next] = value;
        p->recent_index[p->recent_next] = p->strings;
        p->recent_next = (p->recent_next + 1) % PACK_RECENT;
    }
    p->strings++;
    return 1;
}

static int pack_value(Packer *p, PyObject *value, int remember, int depth);

static int pack_items(Packer *p, PyObject **items, Py_ssize_t n, int depth) {
    for (Py_ssize_t i = 0; i < n; i++) {
        int r = pack_value(p, items[i], 1, depth);
        if (r <= 0)
            return r;
    }
    return 1;
}

/* 1 when written, 0 when the value is of a kind the packer does not carry, -1 on error. */
static int pack_value(Packer *p, PyObject *value, int remember, int depth) {
    if (value == Py_None)
        return pack_tag(p, PK_NONE) < 0 ? -1 : 1;
    if (PyUnicode_CheckExact(value))
        return pack_str(p, value, remember);
    if (PyFloat_CheckExact(value)) {
        double d = PyFloat_AS_DOUBLE(value);
        return pack_tag(p, PK_FLOAT) < 0 || pack_bytes(p, &d, sizeof d) < 0 ? -1 : 1;
    }
    if (PyLong_CheckExact(value)) {
        int overflow;
        long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (overflow)
            return 0;
        int64_t v64 = (int64_t)v;
        return pack_tag(p, PK_INT) < 0 || pack_bytes(p, &v64, sizeof v64) < 0 ? -1 : 1;
    }
    if (value == Py_True || value == Py_False)
        return pack_tag(p, value == Py_True ? PK_TRUE : PK_FALSE) < 0 ? -1 : 1;
    int r = result_index(value);
    if (r >= 0) {
        unsigned char index = (unsigned char)r;
        return pack_tag(p, PK_RESULT) < 0 || pack_bytes(p, &index, 1) < 0 ? -1 : 1;
    }
    if (depth >= PACK_DEPTH)
        return 0;
    if (PyTuple_CheckExact(value)) {
        Py_ssize_t n = PyTuple_GET_SIZE(value);
        if (n == 0)
            return pack_tag(p, PK_EMPTY_TUPLE) < 0 ? -1 : 1;
        r = pack_count(p, PK_TUPLE, n);
        return r <= 0 ? r : pack_items(p, &PyTuple_GET_ITEM(value, 0), n, depth + 1);
    }
    if (PyList_CheckExact(value)) {
        /* Walked as it is: the packer calls no Python code that could change the list meanwhile. */
        Py_ssize_t n = PyList_GET_SIZE(value);
        r = pack_count(p, PK_LIST, n);
        return r <= 0 || n == 0 ? r : pack_items(p, &PyList_GET_ITEM(value, 0), n, depth + 1);
    }
    int kind = record_kind(Py_TYPE(value));
    if (kind < 0)
        return 0;
    unsigned char index = (unsigned char)kind;
    if (pack_tag(p, PK_RECORD) < 0 || pack_bytes(p, &index, 1) < 0)
        return -1;
    RecordType *t = &record_types[kind];
    int is_case = t->type == case_type;
    for (int f = 0; f < t->fields; f++) {
        PyObject *field = *(PyObject **)((char *)value + t->offsets[f]);
        if (field == NULL) /* an unset slot: not a finished record */
            return 0;
        /* A case's name and texts are its own; its class, suite and file names repeat. */
        r = pack_value(p, field, !is_case || f == F_CLASSNAME || f == F_SUITE || f == F_FILE, depth + 1);
        if (r <= 0)
            return r;
    }
    return 1;
}

/* pack(value): the value as bytes for unpack(), or None when it holds something the packer does not carry. */
static PyObject *pack(PyObject *module, PyObject *value) {
    if (case_type == NULL || other_results[0] == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure() has not been called with the four results");
        return NULL;
    }
    Packer p;
    memset(&p, 0, sizeof p);
    PyObject *out = NULL;
    int r = pack_bytes(&p, pack_magic, sizeof pack_magic) < 0 ? -1 : pack_value(&p, value, 1, 0);
    if (r > 0)
        out = PyBytes_FromStringAndSize(p.out.data, (Py_ssize_t)p.out.len);
    else if (r == 0)
        out = Py_NewRef(Py_None);
    PyMem_Free(p.out.data);
    return out;
}

typedef struct {
    const char *at, *end;
    PyObject *strings; /* every string read so far, for references to it */
} Reader;

static int take(Reader *r, void *into, size_t n) {
    if ((size_t)(r->end - r->at) < n) {
        PyErr_SetString(PyExc_ValueError, "unpack(): the data ends early");
        return -1;
    }
    memcpy(into, r->at, n);
    r->at += n;
    return 0;
}

/* A count of items that each take at least one byte: more than the bytes left is a fault, not a size. */
static int take_count(Reader *r, uint32_t *count) {
    if (take(r, count, sizeof *count) < 0)
        return -1;
    if ((size_t)*count > (size_t)(r->end - r->at)) {
        PyErr_SetString(PyExc_ValueError, "unpack(): the data ends early");
        return -1;
    }
    return 0;
}

static PyObject *unpack_value(Reader *r, int depth);

static PyObject *unpack_record(Reader *r, int depth) {
    unsigned char kind;
    if (take(r, &kind, 1) < 0)
        return NULL;
    if (kind >= n_record_types) {
        PyErr_SetString(PyExc_ValueError, "unpack(): unknown record type");
        return NULL;
    }
    RecordType *t = &record_types[kind];
    PyObject *record = t->type->tp_alloc(t->type, 0);
    if (record == NULL)
        return NULL;
    for (int f = 0; f < t->fields; f++) {
        PyObject *value = unpack_value(r, depth + 1);
        if (value == NULL) {
            Py_DECREF(record);
            return NULL;
        }
        *(PyObject **)((char *)record + t->offsets[f]) = value;
    }
    settle_in_place(record);
    return record;
}

/* One value, a new reference. */
static PyObject *unpack_value(Reader *r, int depth) {
    unsigned char tag;
    if (depth > PACK_DEPTH) {
        PyErr_SetString(PyExc_ValueError, "unpack(): values nest deeper than pack() writes them");
        return NULL;
    }
    if (take(r, &tag, 1) < 0)
        return NULL;
    switch (tag) {
    case PK_NONE:
        return Py_NewRef(Py_None);
    case PK_TRUE:
        return Py_NewRef(Py_True);
    case PK_FALSE:
        return Py_NewRef(Py_False);
    case PK_EMPTY_STR:
        return Py_NewRef(empty_str);
    case PK_EMPTY_TUPLE:
        return Py_NewRef(empty_tuple);
    case PK_STR: {
        uint32_t len;
        if (take_count(r, &len) < 0)
            return NULL;
        PyObject *s = PyUnicode_DecodeUTF8(r->at, (Py_ssize_t)len, NULL);
        r->at += len;
        if (s == NULL || PyList_Append(r->strings, s) < 0) {
            Py_XDECREF(s);
            return NULL;
        }
        return s;
    }
    case PK_REF: {
        uint32_t index;
        if (take(r, &index, sizeof index) < 0)
            return NULL;
        if ((Py_ssize_t)index >= PyList_GET_SIZE(r->strings)) {
            PyErr_SetString(PyExc_ValueError, "unpack(): a string reference points past the strings read");
            return NULL;
        }
        return Py_NewRef(PyList_GET_ITEM(r->strings, index));
    }
    case PK_INT: {
        int64_t v;
        return take(r, &v, sizeof v) < 0 ? NULL : PyLong_FromLongLong((long long)v);
    }
    case PK_FLOAT: {
        double d;
        return take(r, &d, sizeof d) < 0 ? NULL : PyFloat_FromDouble(d);
    }
    case PK_RESULT: {
        unsigned char index;
        if (take(r, &index, 1) < 0)
            return NULL;
        if (index > 3) {
            PyErr_SetString(PyExc_ValueError, "unpack(): unknown result");
            return NULL;
        }
        return Py_NewRef(index == 0 ? passed : other_results[index - 1]);
    }
    case PK_TUPLE:
    case PK_LIST: {
        uint32_t n;
        if (take_count(r, &n) < 0)
            return NULL;
        PyObject *out = tag == PK_TUPLE ? PyTuple_New((Py_ssize_t)n) : PyList_New((Py_ssize_t)n);
        for (uint32_t i = 0; out != NULL && i < n; i++) {
            PyObject *item = unpack_value(r, depth + 1);
            if (item == NULL) {
                Py_CLEAR(out);
                break;
            }
            if (tag == PK_TUPLE)
                PyTuple_SET_ITEM(out, i, item);
            else
                PyList_SET_ITEM(out, i, item);
        }
        if (out != NULL && tag == PK_TUPLE)
            settle_in_place(out);
        return out;
    }
    case PK_RECORD:
        return unpack_record(r, depth);
    default:
        PyErr_Format(PyExc_ValueError, "unpack(): unknown value tag %d", (int)tag);
        return NULL;
    }
}

/* unpack(data): the value that pack() wrote. */
static PyObject *unpack(PyObject *module, PyObject *arg) {
    if (case_type == NULL || other_results[0] == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure() has not been called with the four results");
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    Reader r = {(const char *)view.buf, (const char *)view.buf + view.len, PyList_New(0)};
    PyObject *out = NULL;
    char magic[4];
    if (r.strings == NULL || take(&r, magic, sizeof magic) < 0)
        goto done;
    if (memcmp(magic, pack_magic, sizeof magic) != 0) {
        PyErr_SetString(PyExc_ValueError, "unpack(): not data from pack()");
        goto done;
    }
    out = unpack_value(&r, 0);
    if (out != NULL && r.at != r.end) {
        PyErr_SetString(PyExc_ValueError, "unpack(): data left over after the value");
        Py_CLEAR(out);
    }
done:
    Py_XDECREF(r.strings);
    PyBuffer_Release(&view);
    return out;
}

static PyMethodDef module_methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(TestCase, Result.PASSED, refused_exception, ExpatError, (FAILED, ERROR, SKIPPED), frozen_types): "
     "the record type and values to build, and the record types settle() takes."},
    {"tally", tally, METH_O, "tally(cases): (tests, passed, failed, errors, skipped, duration, retried) or None."},
    {"build_cases", build_cases, METH_O, "build_cases(rows): a list of TestCase from tuples of their field values."},
    {"settle", settle, METH_O,
     "settle(record): the record (a tuple or a configured frozen type), left out of cycle collection when "
     "nothing it holds is in it."},
    {"pack", pack, METH_O,
     "pack(value): results (model records, tuples, lists, str, numbers) as bytes for unpack(), or None."},
    {"unpack", unpack, METH_O, "unpack(data): the value that pack() wrote."},
    {NULL}};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_fastjunit", "The JUnit reader's fast path: plain test cases built in C.", -1,
    module_methods};

PyMODINIT_FUNC PyInit__fastjunit(void) {
    if (PyType_Ready(&FastParserType) < 0)
        return NULL;
    empty_str = PyUnicode_New(0, 0);
    empty_tuple = PyTuple_New(0);
    if (empty_str == NULL || empty_tuple == NULL)
        return NULL;
    PyObject *os_module = PyImport_ImportModule("os");
    if (os_module == NULL)
        return NULL;
    PyObject *salt = PyObject_CallMethod(os_module, "urandom", "i", (int)sizeof hash_salt);
    Py_DECREF(os_module);
    if (salt == NULL)
        return NULL;
    memcpy(&hash_salt, PyBytes_AS_STRING(salt), sizeof hash_salt);
    Py_DECREF(salt);
    PyObject *m = PyModule_Create(&module_def);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "FastParser", (PyObject *)&FastParserType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    /* How pack()'s bytes begin, for a reader that gets packed or pickled bytes to tell them apart. */
    PyObject *prefix = PyBytes_FromStringAndSize(pack_magic, sizeof pack_magic);
    if (prefix == NULL || PyModule_AddObject(m, "PACKED_PREFIX", prefix) < 0) {
        Py_XDECREF(prefix);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
