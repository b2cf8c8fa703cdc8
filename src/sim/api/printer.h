#ifndef PODSCOPE_SIM_PRINTER_H
#define PODSCOPE_SIM_PRINTER_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"

/*
 * The simulator's own restatement of kube-apiserver's server-side printer
 * (kubernetes pkg/printers/internalversion/printers.go, apimachinery's
 * duration.HumanDuration and metav1.FormatLabelSelector), over the sim's
 * JSON objects. It shares nothing with podscope's model on purpose: the
 * tables kubectl prints for the simulator are the oracle podscope's own
 * STATUS and rollout code are checked against. The pod columns are in
 * podcols.h.
 */

#define SIMPRINT_TIME_LEN 40

/* HumanDuration of d_ms: "30s", "5m10s", "100m", "3h4m", "2d5h", "90d",
 * "3y20d", "10y"; "0s" up to 1.999s in the future, "<invalid>" beyond. */
void simprint_human_duration(int64_t d_ms, char out[SIMPRINT_TIME_LEN]);

/* translateTimestampSince of an RFC 3339 time: "<unknown>" when ts is
 * NULL, empty or unreadable (a zero metav1.Time), else HumanDuration. */
void simprint_since(const char *ts, int64_t now_ms, char out[SIMPRINT_TIME_LEN]);

/* An RFC 3339 time in ms since the epoch; 0 (the zero time) when absent
 * or unreadable. */
int64_t simprint_time_ms(const char *ts);

/*
 * The selector column. With none_word "<none>" it is
 * metav1.FormatLabelSelector (ReplicaSets; "<error>" for a selector that
 * does not convert); with none_word "" it is LabelSelectorAsSelector's
 * String() (Deployments; "<invalid>" for one that does not convert).
 */
void simprint_selector(struct buf *out, const cJSON *sel, const char *none_word);

/* An int32 field of o (absent or not a number: dflt), pinned to int32's
 * range: the printed fields are int32 in the API, and the sum of a pod's
 * restarts must not overflow. */
long long simprint_int(const cJSON *o, const char *key, long long dflt);

/* One string cell of a Table row: a comma, then s as a JSON string. */
void simprint_cell(struct buf *b, const char *s);

/*
 * The cells after NAME of printDeployment (READY, UP-TO-DATE, AVAILABLE,
 * AGE, then wide: CONTAINERS, IMAGES, SELECTOR) and of printReplicaSet
 * (DESIRED, CURRENT, READY, AGE, wide as above), each cell appended to b
 * with a leading comma, as the Table row's JSON array wants them.
 */
void simprint_deployment_cells(struct buf *b, const cJSON *deploy, int64_t now_ms);
void simprint_replicaset_cells(struct buf *b, const cJSON *rs, int64_t now_ms);

/*
 * printStatefulSet (READY, AGE, wide: CONTAINERS, IMAGES),
 * printControllerRevision (CONTROLLER as "statefulset.apps/web" or
 * "<none>", REVISION, AGE) and printPersistentVolumeClaim (STATUS, VOLUME,
 * CAPACITY, ACCESS MODES, STORAGECLASS, VOLUMEATTRIBUTESCLASS, AGE, wide:
 * VOLUMEMODE), as above.
 */
void simprint_statefulset_cells(struct buf *b, const cJSON *sts, int64_t now_ms);
void simprint_controllerrevision_cells(struct buf *b, const cJSON *cr, int64_t now_ms);
void simprint_pvc_cells(struct buf *b, const cJSON *pvc, int64_t now_ms);

/*
 * printDaemonSet: DESIRED, CURRENT, READY, UP-TO-DATE, AVAILABLE, NODE
 * SELECTOR (labels.FormatLabels of the template's nodeSelector, "<none>"
 * when empty), AGE, then wide: CONTAINERS, IMAGES, SELECTOR
 * (FormatLabelSelector).
 */
void simprint_daemonset_cells(struct buf *b, const cJSON *ds, int64_t now_ms);

/*
 * printJob (STATUS, COMPLETIONS, DURATION, AGE, wide: CONTAINERS, IMAGES,
 * SELECTOR) and printCronJob (SCHEDULE, TIMEZONE, SUSPEND, ACTIVE, LAST
 * SCHEDULE, AGE, wide: CONTAINERS, IMAGES, SELECTOR of the job template),
 * as above. SUSPEND is "True", "False" or "<unset>" (printBoolPtr).
 */
void simprint_job_cells(struct buf *b, const cJSON *job, int64_t now_ms);
void simprint_cronjob_cells(struct buf *b, const cJSON *cj, int64_t now_ms);

/* printResourceQuota (AGE, REQUEST, LIMIT), printPodDisruptionBudget (MIN
 * AVAILABLE, MAX UNAVAILABLE, ALLOWED DISRUPTIONS, AGE) and
 * printHorizontalPodAutoscaler (REFERENCE, TARGETS, MINPODS, MAXPODS,
 * REPLICAS, AGE): printer_blockers.c. */
void simprint_quota_cells(struct buf *b, const cJSON *q, int64_t now_ms);
void simprint_pdb_cells(struct buf *b, const cJSON *pdb, int64_t now_ms);
void simprint_hpa_cells(struct buf *b, const cJSON *hpa, int64_t now_ms);

#endif
