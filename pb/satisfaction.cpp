// pb/satisfaction.cpp: see satisfaction.hpp.
#include "pb/satisfaction.hpp"

#include "pb/assert.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <numeric>
#include <string>
#include <unordered_map>

namespace wijkbudget::pb {

namespace {

//! One supported project of a ballot, as the grouping key stores it.
struct SupportItem {
    ProjectIndex project{0};
    UtilityIndex utility{0};
};

std::vector<std::uint32_t> IdRanks(const Instance& instance)
{
    std::vector<std::uint32_t> order(instance.projects.size());
    std::iota(order.begin(), order.end(), 0u);
    // UTF-8 byte order is code point order, which is how Python compares str.
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return instance.projects[a].id < instance.projects[b].id;
    });
    std::vector<std::uint32_t> rank(order.size());
    for (std::uint32_t position = 0; position < order.size(); ++position) {
        rank[order[position]] = position;
    }
    return rank;
}

class ProfileBuilder
{
public:
    ProfileBuilder(const Instance& instance, Satisfaction satisfaction) : m_instance{instance}
    {
        m_profile.satisfaction = satisfaction;
        m_profile.budget = instance.budget;
        m_profile.ballot_count = instance.BallotCount();
        for (const Project& project : instance.projects)
            m_profile.cost.push_back(project.cost);
        m_profile.id_rank = IdRanks(instance);
        m_profile.listed_count.assign(instance.projects.size(), 0);
        m_profile.points_total.assign(instance.projects.size(), 0);
        for (const mpq_class& cost : m_profile.cost)
            m_costly.push_back(cost > 0 ? 1 : 0);
    }

    SatisfactionProfile Build()
    {
        const bool cardinal = m_profile.satisfaction == Satisfaction::cardinal;
        const auto& begin = m_instance.ballot_begin;
        m_one_item_count.assign(m_profile.ProjectCount(), 0);
        m_lone_support_count.assign(m_profile.ProjectCount(), 0);
        for (std::size_t ballot = 0; ballot < m_instance.BallotCount(); ++ballot) {
            if (!cardinal && begin[ballot + 1] - begin[ballot] == 1) {
                ++m_one_item_count[m_instance.item_project[begin[ballot]]];
            } else {
                AddBallot(ballot);
            }
        }
        if (!cardinal) AddOneItemBallots();
        Totals();
        Supporters();
        return std::move(m_profile);
    }

private:
    UtilityIndex UtilityOf(const mpq_class& points)
    {
        const auto [found, added] = m_utility_index.try_emplace(
            points, static_cast<UtilityIndex>(m_profile.utility_values.size()));
        if (added) m_profile.utility_values.push_back(points);
        return found->second;
    }

    void AddBallot(std::size_t ballot)
    {
        m_items.clear();
        const bool cardinal = m_profile.satisfaction == Satisfaction::cardinal;
        const std::size_t begin = m_instance.ballot_begin[ballot];
        const auto projects = m_instance.BallotProjects(ballot);
        for (std::size_t i = 0; i < projects.size(); ++i) {
            const ProjectIndex project = projects[i];
            ++m_profile.listed_count[project];
            if (m_has_points) m_profile.points_total[project] += m_instance.item_points[begin + i];
            if (cardinal) {
                const mpq_class& points = m_instance.item_points[begin + i];
                if (points > 0) m_items.push_back(SupportItem{project, UtilityOf(points)});
            } else if (m_costly[project] != 0) {
                m_items.push_back(SupportItem{project, 0});
            }
        }
        if (m_items.empty()) return; // supports nothing: counts in n, pays for nothing
        if (!cardinal && m_items.size() == 1) {
            // Listed with free projects only: the same group as the ballots of that one item.
            ++m_lone_support_count[m_items.front().project];
            return;
        }
        std::sort(m_items.begin(), m_items.end(),
                  [](const SupportItem& a, const SupportItem& b) { return a.project < b.project; });
        std::string key(m_items.size() * sizeof(SupportItem), '\0');
        std::memcpy(key.data(), m_items.data(), key.size());
        const auto [group, added] =
            m_group_index.try_emplace(std::move(key), static_cast<GroupIndex>(m_groups.size()));
        if (added) {
            m_groups.push_back(m_items);
            m_profile.group_weight.push_back(0);
        }
        ++m_profile.group_weight[group->second];
    }

    /** The ballots of exactly one item under cost satisfaction (every ballot of a choose-1 file),
     *  which Build() only counted per project: on Wroclaw 2015, 131,778 ballots, building their
     *  keys was most of the rule's time. The ballots that support one costly project alone (of
     *  one item, or listing free projects beside it, which AddBallot() counted) make one group per
     *  project, the group a key holding only that project would have made. */
    void AddOneItemBallots()
    {
        const auto& begin = m_instance.ballot_begin;
        if (m_has_points) {
            for (std::size_t ballot = 0; ballot < m_instance.BallotCount(); ++ballot) {
                if (begin[ballot + 1] - begin[ballot] != 1) continue;
                m_profile.points_total[m_instance.item_project[begin[ballot]]] +=
                    m_instance.item_points[begin[ballot]];
            }
        }
        for (ProjectIndex project = 0; project < m_profile.ProjectCount(); ++project) {
            m_profile.listed_count[project] += m_one_item_count[project];
            const std::uint64_t weight = (m_costly[project] != 0 ? m_one_item_count[project] : 0) +
                                         m_lone_support_count[project];
            if (weight == 0) continue;
            m_groups.push_back({SupportItem{project, 0}});
            m_profile.group_weight.push_back(weight);
        }
    }

    void Totals()
    {
        auto& profile = m_profile;
        profile.satisfaction_total.resize(profile.ProjectCount());
        for (std::size_t p = 0; p < profile.ProjectCount(); ++p) {
            if (!m_instance.HasPoints()) profile.points_total[p] = profile.listed_count[p];
            if (profile.satisfaction == Satisfaction::cardinal) {
                profile.satisfaction_total[p] = profile.points_total[p];
            } else {
                profile.satisfaction_total[p] = profile.cost[p] * profile.listed_count[p];
            }
        }
    }

    void Supporters()
    {
        auto& profile = m_profile;
        std::vector<std::size_t> count(profile.ProjectCount() + 1, 0);
        for (const auto& items : m_groups) {
            for (const SupportItem& item : items)
                ++count[item.project + 1];
        }
        std::partial_sum(count.begin(), count.end(), count.begin());
        profile.supporter_begin = count;
        profile.supporters.resize(count.back());
        for (GroupIndex group = 0; group < m_groups.size(); ++group) {
            for (const SupportItem& item : m_groups[group]) {
                profile.supporters[count[item.project]++] = Supporter{group, item.utility};
            }
        }
        // After the scatter, each project's cursor stands at the next project's first supporter.
        WB_PB_ASSERT(profile.ProjectCount() == 0 ||
                     count[profile.ProjectCount() - 1] == profile.supporters.size());
    }

    const Instance& m_instance;
    const bool m_has_points{m_instance.HasPoints()};
    SatisfactionProfile m_profile;
    std::vector<std::uint8_t> m_costly; //!< per project: cost > 0
    std::vector<SupportItem> m_items;
    std::vector<std::vector<SupportItem>> m_groups;
    std::unordered_map<std::string, GroupIndex> m_group_index;
    //! Per project, the ballots of only that item (see AddOneItemBallots()).
    std::vector<std::uint64_t> m_one_item_count;
    //! Per costly project, the ballots of several items that support it alone (cost satisfaction).
    std::vector<std::uint64_t> m_lone_support_count;
    std::map<mpq_class, UtilityIndex> m_utility_index;
};

} // namespace

SatisfactionProfile MakeSatisfactionProfile(const Instance& instance, Satisfaction satisfaction)
{
    WB_PB_ASSERT(satisfaction == Satisfaction::cost || instance.HasPoints());
    return ProfileBuilder{instance, satisfaction}.Build();
}

} // namespace wijkbudget::pb
