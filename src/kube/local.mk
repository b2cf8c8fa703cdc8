# kube: kubeconfig, credentials, the HTTPS client and the event loop.
