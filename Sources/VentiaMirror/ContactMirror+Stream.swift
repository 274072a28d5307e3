import Foundation
import GRDB
import VentiaAPI

extension ContactMirror {
    /// Every contact in list order (newest `updatedAt` first), `batchSize` at a time, decoded as
    /// they are read and not kept: a listing of 100,000 contacts writes its first row at once and
    /// holds one batch at a time. `body` returns false to stop.
    public func forEachContact(batchSize: Int = 500, _ body: ([Contact]) throws -> Bool) throws(MirrorError) {
        try read("read the local contacts") { db in
            let decoder = VentiaJSON.decoder()
            let rows = try Row.fetchCursor(db, sql: "SELECT body FROM contact ORDER BY updatedAt DESC, id DESC")
            var batch: [Contact] = []
            batch.reserveCapacity(batchSize)
            while let row = try rows.next() {
                if let contact = try? decoder.decode(Contact.self, from: row[0] as Data) { batch.append(contact) }
                guard batch.count == batchSize else { continue }
                guard try body(batch) else { return }
                batch.removeAll(keepingCapacity: true)
            }
            if !batch.isEmpty { _ = try body(batch) }
        }
    }
}
