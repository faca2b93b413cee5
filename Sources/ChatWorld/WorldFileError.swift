/// Why a world file was refused: one line for each problem found, in file order.
public struct WorldFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Each problem on one line, without the file name: `place "Quay": exit north leads to "Attic", which is
    /// not a place`.
    public let problems: [String]

    public init(_ problems: [String]) { self.problems = problems }

    public var description: String { problems.joined(separator: "\n") }
}
