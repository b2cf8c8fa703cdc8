# kube: kubeconfig, credentials, the HTTPS client and the event loop.
# loop, HTTPS client, credentials (token, token file, certs, basic, exec)
libkube_a_SOURCES += \
	src/kube/loop.c \
	src/kube/client.c \
	src/kube/client_easy.c \
	src/kube/auth.c \
	src/kube/exec_plugin.c \
	src/kube/subproc.c \
	src/kube/kstatus.c \
	src/kube/netdiag.c
noinst_HEADERS += \
	src/kube/loop_xfer.h \
	src/kube/client_priv.h \
	src/kube/auth.h \
	src/kube/kstatus.h \
	src/kube/netdiag.h \
	src/kube/subproc.h
EXTRA_DIST += doc/auth.md
# kubeconfig: finding, merging and resolving kubeconfig files (as kubectl)
libkube_a_SOURCES += \
	src/kube/kubeconfig_load.c \
	src/kube/kubeconfig_decode.c \
	src/kube/kubeconfig_b64.c \
	src/kube/kubeconfig_path.c \
	src/kube/kubeconfig_resolve.c \
	src/kube/kubeconfig_fleet.c \
	src/kube/kubeconfig_incluster.c \
	src/kube/kubeconfig_describe.c \
	src/kube/kfile.c
noinst_HEADERS += src/kube/kubeconfig_int.h include/podscope/kfile.h
EXTRA_DIST += doc/kubeconfig.md
# informers: list in pages (informer_list.c), watch with bookmarks, relist on 410,
# back-off, polling
libkube_a_SOURCES += src/kube/informer.c src/kube/informer_list.c src/kube/informer_path.c
noinst_HEADERS += include/podscope/informer.h src/kube/informer_int.h
EXTRA_DIST += doc/live-data.md doc/benchmarks.md
# actions on the cluster (plan + apply), rollout history, access review, audit log
libkube_a_SOURCES += src/kube/actions_common.c src/kube/actions_plan.c \
	src/kube/actions_undo.c src/kube/actions_misc.c src/kube/audit.c
libkube_a_SOURCES += src/kube/actions_sets.c
libkube_a_SOURCES += src/kube/actions_jobs.c
noinst_HEADERS += include/podscope/actions_kube.h src/kube/actions_int.h
EXTRA_DIST += doc/actions.md
# container logs: one pod's log on the loop
libkube_a_SOURCES += src/kube/podlog.c src/kube/logfollow.c
noinst_HEADERS += include/podscope/podlog.h include/podscope/logfollow.h
# The API server's clock (the Date of every response; podscope/clockskew.h).
libkube_a_SOURCES += src/kube/serverclock.c
noinst_HEADERS += include/podscope/serverclock.h
# The why line's last log line: one small log request per stuck container.
libkube_a_SOURCES += src/kube/whylog.c
noinst_HEADERS += include/podscope/whylog.h
