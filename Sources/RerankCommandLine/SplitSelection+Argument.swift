import ArgumentParser
import RerankKit

// `--split dev|test|all` reads the same way in rerank-eval and rerankbench.
extension SplitSelection: ArgumentChoices {}
