import ChatProtocol
import TOMLKit

extension World {
    /// Reads and checks a world file in TOML (the format is in README's world section).
    public init(toml text: String) throws(WorldFileError) {
        guard text.utf8.count <= Self.maximumFileSize else {
            throw WorldFileError(["the file is larger than \(Self.maximumFileSize / 1024) KiB"])
        }
        // toml++ reads up to the first NUL; a file holding one is refused rather than read in part.
        guard !text.utf8.contains(0) else { throw WorldFileError(["the file holds a NUL character"]) }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let position = error.source.begin
            throw WorldFileError([
                "not valid TOML at line \(position.line), column \(position.column): "
                    + Sanitizer.excerpt(error.description, limit: 120)
            ])
        } catch {
            throw WorldFileError(["not valid TOML"])
        }
        try self.init(tree: Self.fields(of: table))
    }

    /// The table as the value tree the checks read; TOML's dates and times, which no field takes, become text.
    static func fields(of table: TOMLTable) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        for (key, value) in table { fields[key] = tree(of: value) }
        return fields
    }

    private static func tree(of value: any TOMLValueConvertible) -> JSONValue {
        switch value.type {
        case .table: return value.table.map { .object(fields(of: $0)) } ?? .null
        case .array: return value.array.map { .array($0.map(tree(of:))) } ?? .null
        case .string: return value.string.map(JSONValue.string) ?? .null
        case .int: return value.int.map { .number(Double($0)) } ?? .null
        case .double: return value.double.map(JSONValue.number) ?? .null
        case .bool: return value.bool.map(JSONValue.bool) ?? .null
        case .date, .time, .dateTime: return .string(value.debugDescription)
        }
    }
}
