import Testing

/// `#expect(a == b)` for a mutating call: the macro wraps its expression in a closure, which cannot mutate.
func check<Value: Equatable>(_ value: Value, _ expected: Value, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(value == expected, sourceLocation: sourceLocation)
}
