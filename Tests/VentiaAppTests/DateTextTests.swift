import Foundation
import Testing
@testable import VentiaApp

@Suite struct DateTextTests {
    let dates = DateText(timeZone: TimeZone(identifier: "UTC") ?? .current)
    let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 UTC

    @Test func relativeAgesThenDayThenYear() {
        let ago = { (seconds: Double) in dates.relative(now.addingTimeInterval(-seconds), now: now) }
        #expect(ago(30) == "now")
        #expect(ago(5 * 60) == "5m")
        #expect(ago(3 * 3600) == "3h")
        #expect(ago(2 * 86400) == "2d")
        #expect(ago(40 * 86400) == "9 Oct")
        // A date from an earlier year shows its year, not a day that reads as this year's.
        #expect(dates.relative(Date(timeIntervalSince1970: 1_653_062_400), now: now) == "2022")
        #expect(dates.relative(now.addingTimeInterval(400 * 86400), now: now) == "2027")
        #expect(dates.relative(nil, now: now) == "—")
    }
}
