// A notebook imports FolioRuntime implicitly and gets Compute and Plots with it.
@_exported import Compute
@_exported import Plots
