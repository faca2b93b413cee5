import CLibFuzzer
import Glibc

// SwiftPM links an executable with `--defsym main=HubFuzzer_main`, so libFuzzer's own `main` can never be the
// entry point (a `-parse-as-library` build fails to link). This top-level code is `HubFuzzer_main`: it hands
// the command line to libFuzzer's driver, which calls `LLVMFuzzerTestOneInput` once per input.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    // libFuzzer passes a valid pointer even for an empty input; nil is answered like one anyway.
    guard let data else { return 0 }
    return LLVMFuzzerTestOneInput(UnsafeRawPointer(data), size)
}
exit(status)
