import CSV
import Foundation
import Testing
import VentiaAPI
import VentiaCommandLine

/// What the subcommands write and read, without a server: CSV quoting, the lead file's rows and
/// the line each problem is reported on.
@Suite struct CommandLineFormatTests {
    @Test func csvQuotesWhatNeedsItAndReadsBackTheSame() throws {
        let table = RecordTable(columns: ["id", "name", "detail"], rows: [
            ["1", "Pérez, Ana", "dice \"hola\""], ["2", "Zoë 😀", "dos\nlíneas"], ["3", "", "plain"],
        ])
        let text = table.csv()
        #expect(text == "id,name,detail\r\n1,\"Pérez, Ana\",\"dice \"\"hola\"\"\"\r\n2,Zoë 😀,\"dos\nlíneas\"\r\n3,,plain\r\n")
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        #expect(reader.headerRow == table.columns)
        #expect(rows == table.rows)
        #expect(table.text().components(separatedBy: "\n").first == "id  name        detail")
    }

    @Test func csvWrittenABatchAtATimeIsOneTable() throws {
        let rows = (1...7).map { ["\($0)", "name \($0)", $0 == 4 ? "a, b" : "x"] }
        let whole = RecordTable(columns: ["id", "name", "detail"], rows: rows)
        var streamed = RecordTable(columns: whole.columns, rows: Array(rows[0..<3])).csv(header: true)
        streamed += RecordTable(columns: whole.columns, rows: []).csv(header: false)
        streamed += RecordTable(columns: whole.columns, rows: Array(rows[3...])).csv(header: false)
        #expect(streamed == whole.csv())
        #expect(RecordTable(columns: whole.columns, rows: []).csv() == "id,name,detail\r\n", "no rows: the header alone")
    }

    @Test func leadRowsAreReadWithTheirLines() throws {
        let text = "\u{FEFF}FirstName,Phones,email,detail,lastName\n"
            + "Ana,+598 99 123 456;099 111 222,,\"Feria, stand 4\",Rivero\n"
            + "\n"
            + "Bruno,,,\"dos\nlíneas\",Castro\n"
            + "Carla,099 000 111,carla@,x,Méndez\n"
            + "Diego,099 765 432\n"
            + "Elena,,elena@example.com,\"una\nnota\nlarga\",Paz\n"
            + "Fabián,12,,,Rey\n"
        let (rows, problems) = try LeadImportFile.read(text, origin: "web").get()
        #expect(rows.map(\.line) == [2, 8])
        #expect(rows[0].input == ContactInput(firstName: "Ana", lastName: "Rivero", emails: [], phones: ["+598 99 123 456", "099 111 222"], detail: "Feria, stand 4", origin: "web"))
        #expect(rows[1].input.emails == ["elena@example.com"] && rows[1].input.detail == "una\nnota\nlarga")
        #expect(problems.map(\.description) == [
            "line 4: needs a phone or an email",
            "line 6: emails \"carla@\" is not a valid email address",
            "line 7: has 2 fields, the header 5",
            "line 11: phones \"12\" is not a phone number",
        ])
        #expect(problems[0].name == "Bruno Castro")
    }

    @Test func aFileThatCannotBeUsedSaysWhy() {
        #expect(LeadImportFile.read("", origin: nil).failure?.description.hasPrefix("the file is empty") == true)
        #expect(LeadImportFile.read("name,phone\nAna,099\n", origin: nil).failure?.description
            == "line 1: unknown column \"name\" (the columns are firstName, lastName, phone, email, detail, origin, agent)")
        #expect(LeadImportFile.read("firstName,lastName\nAna,Paz\n", origin: nil).failure?.description.hasPrefix("line 1: the columns must include") == true)
        #expect(LeadImportFile.read("firstName,phone,Phone\n", origin: nil).failure?.description == "line 1: the column phone is named twice")
    }
}
