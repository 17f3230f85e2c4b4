"""nbval runs each chapter in a fresh ipykernel forked by ``kgkz.build.zygote`` (a clean
process that has loaded the libraries every chapter imports), as the build does;
``KGKZ_JUPYTER_KERNELS=1`` runs them in kernels started by Jupyter itself."""

import os

import nbval.kernel

from kgkz.build import zygote

nbval.kernel.KernelManager = zygote.kernel_manager_class()
if not os.environ.get(zygote.PLAIN):
    zygote.Client.get()  # it loads the libraries while the notebooks are collected
